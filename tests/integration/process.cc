#include "integration/process.h"

#include <fcntl.h>
#include <signal.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "testing/testing.h"

extern char** environ;

namespace ra::testing {
namespace {

int DecodeWait(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

pid_t Spawn(const std::vector<std::string>& argv,
            const std::vector<std::string>& env, int out_fd, int err_fd) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.push_back(*e);
  for (const auto& e : env) env_strings.push_back(e);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    // The test process may block signals (gRPC); the child starts clean.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    const int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    if (out_fd >= 0) dup2(out_fd, 1);
    if (err_fd >= 0) dup2(err_fd, 2);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  return pid;
}

std::string ReadFd(int fd) {
  std::string out;
  lseek(fd, 0, SEEK_SET);
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) out.append(buf, n);
  return out;
}

}  // namespace

std::string DaemonBinary() { return RA_DAEMON_BINARY; }
std::string CliBinary() { return RA_CLI_BINARY; }

CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env) {
  char out_tmpl[] = "/tmp/ra-out-XXXXXX";
  char err_tmpl[] = "/tmp/ra-err-XXXXXX";
  const int out_fd = mkstemp(out_tmpl);
  const int err_fd = mkstemp(err_tmpl);
  unlink(out_tmpl);
  unlink(err_tmpl);
  CommandResult result;
  const pid_t pid = Spawn(argv, env, out_fd, err_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = DecodeWait(status);
  result.out = ReadFd(out_fd);
  result.err = ReadFd(err_fd);
  close(out_fd);
  close(err_fd);
  return result;
}

Daemon::Daemon(const std::string& dir, const std::vector<std::string>& args)
    : dir_(dir),
      socket_(dir + "/s.sock"),
      db_(dir + "/audit.sqlite"),
      log_(dir + "/auditd.log") {
  std::vector<std::string> argv = {DaemonBinary(), "--listen=unix:" + socket_,
                                   "--db=" + db_,
                                   "--rules=" + SourcePath("rules/state")};
  for (const auto& a : args) {
    if (a.rfind("--db=", 0) == 0) db_ = a.substr(5);
    if (a.rfind("--listen=unix:", 0) == 0) socket_ = a.substr(14);
    if (a.rfind("--listen=127.0.0.1:", 0) == 0) tcp_port_ = std::stoi(a.substr(19));
    argv.push_back(a);
  }
  const int log_fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  log_start_ = static_cast<size_t>(lseek(log_fd, 0, SEEK_END));
  pid_ = Spawn(argv, {}, log_fd, log_fd);
  close(log_fd);
}

Daemon::~Daemon() {
  if (pid_ > 0) Stop(SIGKILL);
}

bool Daemon::WaitReady() {
  if (!WaitListening()) return false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (log().find("event=serving", log_start_) != std::string::npos) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool Daemon::WaitListening() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    bool ok = false;
    if (tcp_port_ > 0) {
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(static_cast<uint16_t>(tcp_port_));
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      const int fd = socket(AF_INET, SOCK_STREAM, 0);
      ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
      close(fd);
    } else {
      sockaddr_un addr{};
      addr.sun_family = AF_UNIX;
      std::strncpy(addr.sun_path, socket_.c_str(), sizeof(addr.sun_path) - 1);
      const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
      ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
      close(fd);
    }
    if (ok) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int Daemon::WaitExit(int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (pid_ > 0 && std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return DecodeWait(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

int Daemon::Stop(int sig) {
  if (pid_ <= 0) return -1;
  kill(pid_, sig);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return DecodeWait(status);
}

std::string Daemon::log() const { return ReadFileOrDie(log_); }

}  // namespace ra::testing

namespace ra::testing {

int FreeTcpPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

CommandResult RunCli(const Daemon& daemon, std::vector<std::string> args) {
  args.insert(args.begin(), CliBinary());
  return RunCommand(args, {"REDACTION_AUDIT_SERVER=" + daemon.address()});
}

}  // namespace ra::testing
