// Running the real binaries from integration tests: the daemon as a child
// process on a temporary unix socket, the CLI as a command whose exit code,
// stdout and stderr are captured.
#ifndef RA_TESTS_INTEGRATION_PROCESS_H_
#define RA_TESTS_INTEGRATION_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace ra::testing {

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] a path) with extra environment entries "K=V" and
// waits for it.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {});

// A redaction-auditd child process.
class Daemon {
 public:
  // Starts the daemon with `args` appended to --listen unix:<dir>/s.sock
  // --db <dir>/audit.sqlite --rules <source>/rules/state (each can be
  // overridden by passing it again). stderr goes to <dir>/auditd.log.
  Daemon(const std::string& dir, const std::vector<std::string>& args = {});
  ~Daemon();

  // True once the daemon serves: the socket accepts connections and the
  // log says event=serving (waits up to 10 s); false when the process
  // exited first.
  bool WaitReady();
  // True once the socket accepts connections, serving or still starting.
  bool WaitListening();
  // Waits up to `seconds` for the process to exit by itself; returns its
  // exit code, or -1 if it is still running.
  int WaitExit(int seconds);
  // Sends `sig` and waits for exit; returns the exit code (128+signal when
  // killed by it).
  int Stop(int sig);
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // The unix socket address, or 127.0.0.1:PORT when started with
  // --listen=127.0.0.1:PORT.
  std::string address() const {
    return tcp_port_ > 0 ? "127.0.0.1:" + std::to_string(tcp_port_)
                         : "unix:" + socket_;
  }
  int tcp_port() const { return tcp_port_; }
  const std::string& socket_path() const { return socket_; }
  const std::string& db_path() const { return db_; }
  std::string log() const;

 private:
  std::string dir_, socket_, db_, log_;
  pid_t pid_ = -1;
  int tcp_port_ = 0;
  // Size of the log before this daemon started (a restarted daemon appends).
  size_t log_start_ = 0;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int FreeTcpPort();

std::string DaemonBinary();
std::string CliBinary();

// Runs the CLI with `args` against `daemon` (REDACTION_AUDIT_SERVER set).
CommandResult RunCli(const Daemon& daemon, std::vector<std::string> args);

}  // namespace ra::testing

#endif  // RA_TESTS_INTEGRATION_PROCESS_H_
