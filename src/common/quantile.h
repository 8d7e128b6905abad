#pragma once
// Order statistics shared by the suite's summaries and the report.
#include <vector>

namespace fwbench {

// Linear-interpolation quantile (R type 7, NumPy's default), q in [0, 1]. 0 when empty.
double Quantile(std::vector<double> values, double q);
// Median (mean of the middle two for an even count). 0 when empty.
double Median(std::vector<double> values);

}  // namespace fwbench
