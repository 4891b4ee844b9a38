// chancery with fault points, for tests only (built beside the tests, never
// installed; the node binary has no such code). While the file named by
// CHANCERY_TEST_CRASH_AFTER_STORE exists, the node dies right after its
// peers' listener stored a package and before it answers (the file is
// removed first, so the retry finds a healthy node).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/main.h"

int main(int argc, char** argv) {
  chancery::cli::Hooks hooks;
  if (const char* crash = std::getenv("CHANCERY_TEST_CRASH_AFTER_STORE")) {
    hooks.after_peer_request = [file = std::string(crash)](const chancery::http::Request& r,
                                                           const chancery::http::Response& resp) {
      if (resp.status == 200 && r.path == "/exchange/v1/packages" &&
          std::remove(file.c_str()) == 0) {
        std::_Exit(137);
      }
    };
  }
  return chancery::cli::RunMain(argc, argv, hooks);
}
