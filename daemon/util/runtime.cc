#include "util/runtime.h"

#include "absl/synchronization/mutex.h"

namespace ra {

void UseReleaseMutexSettings() {
#ifdef NDEBUG
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
}

}  // namespace ra
