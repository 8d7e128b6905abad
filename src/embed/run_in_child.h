#pragma once
// Runs a piece of work in a forked child, for work that needs its own interpreter (each
// framework x profile: the apps read their profile at import, Django's settings are global).
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace fwbench::embed {

// Forks, runs `work` in the child and returns the JSON it produced. The child never returns.
// Throws fwbench::Error naming `label` when the child dies or `work` threw (its message).
nlohmann::json RunInChild(const std::string& label, const std::function<nlohmann::json()>& work);

}  // namespace fwbench::embed
