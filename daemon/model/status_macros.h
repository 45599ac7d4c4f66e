// Small status helpers missing from Debian's abseil 20220623.
#ifndef RA_MODEL_STATUS_MACROS_H_
#define RA_MODEL_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define RA_STATUS_CONCAT_INNER_(a, b) a##b
#define RA_STATUS_CONCAT_(a, b) RA_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function when `expr` (an absl::Status) is not ok.
#define RA_RETURN_IF_ERROR(expr)           \
  do {                                     \
    ::absl::Status ra_status_ = (expr);    \
    if (!ra_status_.ok()) return ra_status_; \
  } while (0)

// `RA_ASSIGN_OR_RETURN(auto x, Foo());` assigns the value of an
// absl::StatusOr or returns its status.
#define RA_ASSIGN_OR_RETURN(lhs, expr)                                   \
  RA_ASSIGN_OR_RETURN_IMPL_(RA_STATUS_CONCAT_(ra_statusor_, __LINE__), lhs, \
                            expr)
#define RA_ASSIGN_OR_RETURN_IMPL_(var, lhs, expr) \
  auto var = (expr);                              \
  if (!var.ok()) return var.status();             \
  lhs = std::move(var).value()

#endif  // RA_MODEL_STATUS_MACROS_H_
