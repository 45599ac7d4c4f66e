#include "service/metrics_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ra {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Body() { return "ra_up 1\n"; }

TEST(MetricsHttpTest, RespondsToGetMetricsOnly) {
  const std::string ok = RespondToHttpRequest("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", Body);
  EXPECT_THAT(ok, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(ok, HasSubstr("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
  EXPECT_THAT(ok, HasSubstr("Content-Length: 8\r\n"));
  EXPECT_THAT(ok, HasSubstr("\r\n\r\nra_up 1\n"));
  const std::string head = RespondToHttpRequest("HEAD /metrics HTTP/1.0\r\n\r\n", Body);
  EXPECT_THAT(head, StartsWith("HTTP/1.1 200 OK"));
  EXPECT_THAT(head, ::testing::EndsWith("\r\n\r\n"));
  EXPECT_THAT(RespondToHttpRequest("GET / HTTP/1.1\r\n\r\n", Body),
              StartsWith("HTTP/1.1 404 "));
  EXPECT_THAT(RespondToHttpRequest("POST /metrics HTTP/1.1\r\n\r\n", Body),
              StartsWith("HTTP/1.1 405 "));
  for (const char* bad : {"", "\r\n\r\n", "GET\r\n\r\n", "get /metrics HTTP/1.1\r\n\r\n",
                          "GET metrics HTTP/1.1\r\n\r\n", "GET /metrics SPDY/3\r\n\r\n",
                          "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"}) {
    EXPECT_THAT(RespondToHttpRequest(bad, Body), StartsWith("HTTP/1.1 400 ")) << bad;
  }
}

TEST(MetricsHttpTest, RefusesNonLoopbackWithoutInsecure) {
  auto s = MetricsHttpServer::Start({"0.0.0.0:0"}, Body);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("--insecure"));
  EXPECT_EQ(MetricsHttpServer::Start({"no-port"}, Body).status().code(),
            absl::StatusCode::kInvalidArgument);
}

std::string Exchange(int port, const std::string& request, bool shut = true) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  if (shut) shutdown(fd, SHUT_WR);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) out.append(buf, n);
  close(fd);
  return out;
}

TEST(MetricsHttpTest, ServesOverARealSocketAndSurvivesGarbage) {
  MetricsHttpOptions options;
  options.listen = "127.0.0.1:0";
  options.max_request_bytes = 1024;
  options.read_timeout = absl::Milliseconds(300);
  auto server = MetricsHttpServer::Start(options, Body);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  ASSERT_GT(port, 0);
  EXPECT_THAT(Exchange(port, "GET /metrics HTTP/1.1\r\n\r\n"), HasSubstr("\r\n\r\nra_up 1\n"));
  EXPECT_THAT(Exchange(port, std::string(5000, 'A')), StartsWith("HTTP/1.1 431 "));
  EXPECT_EQ(Exchange(port, "GET /metr"), "");  // closed half-way: no answer
  EXPECT_THAT(Exchange(port, "GET /metrics HTTP/1.1\r\n", false),
              StartsWith("HTTP/1.1 408 "));  // never finished: timed out
  EXPECT_THAT(Exchange(port, std::string("\0\xff\r\n\r\n", 6)), StartsWith("HTTP/1.1 400 "));
  EXPECT_THAT(Exchange(port, "GET /other HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 404 "));
  EXPECT_THAT(Exchange(port, "GET /metrics HTTP/1.0\r\n\r\n"), HasSubstr("ra_up 1"));
}

}  // namespace
}  // namespace ra
