#include "core/registry.hpp"
#include <iostream>
int main() { for (auto n : edgeprobe::registry::builtin().names()) std::cout << n << "\n"; }
