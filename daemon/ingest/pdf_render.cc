#include "ingest/pdf_render.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"

extern char** environ;

namespace ra {
namespace {

template <typename T>
void Put(const T& v, std::string* out) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

// Milliseconds left until `deadline`, for poll(); 0 when it has passed.
int MillisLeft(RenderHelper::Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - RenderHelper::Clock::now());
  if (left.count() <= 0) return 0;
  return left.count() > 1 << 30 ? 1 << 30 : static_cast<int>(left.count()) + 1;
}

// Waits until `fd` is ready for `events` or the deadline passes.
bool WaitFor(int fd, short events, RenderHelper::Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int ms = MillisLeft(deadline);
    if (ms == 0) return false;
    const int r = poll(&p, 1, ms);
    if (r > 0) return true;
    if (r < 0 && errno != EINTR) return true;  // let read/send report it
  }
}

}  // namespace

std::string EncodeRenderRequest(std::string_view pdf,
                                const std::vector<RenderRequest>& pages) {
  std::string out;
  out.reserve(pdf.size() + 16 + pages.size() * 12);
  Put(static_cast<uint64_t>(pdf.size()), &out);
  out.append(pdf.data(), pdf.size());
  Put(static_cast<uint32_t>(pages.size()), &out);
  for (const RenderRequest& r : pages) {
    Put(r.page_index, &out);
    Put(r.dpi, &out);
  }
  return out;
}

absl::StatusOr<std::unique_ptr<RenderHelper>> RenderHelper::Start(
    const std::string& helper_path, std::string_view pdf,
    const std::vector<RenderRequest>& pages, Clock::time_point deadline) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot start the PDF renderer: socketpair: ", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::string arg0 = helper_path;
  char* argv[] = {arg0.data(), nullptr};
  pid_t pid = -1;
  const int err = posix_spawn(&pid, helper_path.c_str(), &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(fds[1]);
  if (err != 0) {
    close(fds[0]);
    return absl::UnavailableError(absl::StrCat(
        "cannot start the PDF renderer ", helper_path, ": ", std::strerror(err)));
  }
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  std::unique_ptr<RenderHelper> helper(new RenderHelper(pid, fds[0], deadline));
  const std::string request = EncodeRenderRequest(pdf, pages);
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = send(fds[0], request.data() + sent, request.size() - sent,
                           MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!WaitFor(fds[0], POLLOUT, deadline)) {
        return absl::DeadlineExceededError("budget exceeded");
      }
    } else {
      return absl::InternalError(helper->Died());
    }
  }
  shutdown(fds[0], SHUT_WR);
  return helper;
}

absl::Status RenderHelper::ReadFully(char* out, size_t n) {
  size_t got = 0;
  while (got < n) {
    const ssize_t r = read(fd_, out + got, n - got);
    if (r > 0) {
      got += static_cast<size_t>(r);
    } else if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!WaitFor(fd_, POLLIN, deadline_)) {
        return absl::DeadlineExceededError("budget exceeded");
      }
    } else {
      return absl::InternalError(Died());
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<RenderedPage> RenderHelper::Next() {
  RenderedPage page;
  int32_t header[4];
  absl::Status s = ReadFully(reinterpret_cast<char*>(header), sizeof header);
  if (!s.ok()) return s;
  page.page_index = header[0];
  page.width = header[1];
  page.height = header[2];
  page.stride = header[3];
  if (page.width < 0) return page;
  if (page.height < 0 || page.stride < 4 * static_cast<int64_t>(page.width) ||
      static_cast<int64_t>(page.stride) * page.height > int64_t{1} << 32) {
    return absl::InternalError("sent a malformed page");
  }
  page.pixels.resize(static_cast<size_t>(page.stride) * page.height);
  s = ReadFully(page.pixels.data(), page.pixels.size());
  if (!s.ok()) return s;
  return page;
}

std::string RenderHelper::Died() {
  if (reaped_) return "stopped";
  int status = 0;
  // The helper closed its end or the stream broke: it is exiting. Give it
  // until the deadline, then kill it.
  for (;;) {
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (r < 0 && errno != EINTR) {
      reaped_ = true;  // not ours to wait for (or kill) any more
      return "stopped";
    }
    if (Clock::now() >= deadline_) {
      kill(pid_, SIGKILL);
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    usleep(2000);
  }
  reaped_ = true;
  if (WIFSIGNALED(status)) {
    return absl::StrCat("was killed by signal ", WTERMSIG(status), " (",
                        strsignal(WTERMSIG(status)), ")");
  }
  if (WIFEXITED(status)) return absl::StrCat("exited with status ", WEXITSTATUS(status));
  return "stopped";
}

RenderHelper::~RenderHelper() {
  close(fd_);
  if (!reaped_) {
    kill(pid_, SIGKILL);
    int status;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

}  // namespace ra
