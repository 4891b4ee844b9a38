// chancery: the node binary (init, serve, gateway, and each module's
// commands; `chancery --help`).
#include "app/main.h"

int main(int argc, char** argv) { return chancery::cli::RunMain(argc, argv); }
