#pragma once
// splitmix64: a tiny generator whose sequence is the same on every platform, for the
// bootstrap and the load generator's route and arrival draws.
#include <cstdint>

namespace fwbench {

struct SplitMix64 {
  uint64_t state = 0;
  uint64_t Next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
};

}  // namespace fwbench
