#include "launch/app_catalog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paths.h"

namespace fwbench::launch {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

class AppCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fwbench-catalog-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path Write(const json& doc) {
    WriteJsonAtomic(dir_ / "frameworks.json", doc);
    return dir_ / "frameworks.json";
  }

  // The message LoadAppCatalog throws for `entry` as the only framework "x".
  std::string ErrorFor(const json& entry) {
    try {
      LoadAppCatalog(Write({{"frameworks", {{"x", entry}}}}));
    } catch (const Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error for " << entry.dump();
    return "";
  }

  fs::path dir_;
};

TEST_F(AppCatalogTest, SysPathIsDirThenPythonpathInOrderWithoutRepeats) {
  const fs::path abs = dir_ / "vendor";
  const auto catalog = LoadAppCatalog(
      Write({{"frameworks",
              {{"web",
                {{"dir", "apps/web"},
                 {"wsgi", "site.wsgi:application"},
                 {"pythonpath", {"apps/common", "apps/web", abs.string(), "apps/common/../common"}},
                 {"env", {{"SETTINGS", "site.settings"}, {"MODE", "x"}}}}}}}}));
  const AppEntry& e = catalog.Find("web");
  EXPECT_EQ(e.name, "web");
  EXPECT_EQ(e.dir, SourceDir() / "apps/web");
  EXPECT_EQ(e.sys_path,
            (std::vector<fs::path>{SourceDir() / "apps/web", SourceDir() / "apps/common", abs}));
  EXPECT_EQ(e.module, "site.wsgi");
  EXPECT_EQ(e.callable, "application");
  EXPECT_EQ(e.env,
            (std::map<std::string, std::string>{{"MODE", "x"}, {"SETTINGS", "site.settings"}}));
  EXPECT_EQ(e.version_module, "web");  // the name when not given
  EXPECT_EQ(catalog.file, dir_ / "frameworks.json");
}

TEST_F(AppCatalogTest, WithoutPythonpathSysPathIsTheDirAlone) {
  const auto catalog = LoadAppCatalog(
      Write({{"frameworks",
              {{"a", {{"dir", dir_.string()}, {"wsgi", "m:app"}, {"version_module", "flask"}}}}}}));
  EXPECT_EQ(catalog.Find("a").sys_path, std::vector<fs::path>{dir_});
  EXPECT_EQ(catalog.Find("a").version_module, "flask");
  EXPECT_TRUE(catalog.Find("a").env.empty());
}

// Every app folder under apps/ (all but common/) has its entry, and every entry its folder.
TEST_F(AppCatalogTest, ShippedCatalogueHasEveryAppWithItsFolderFirst) {
  const auto catalog = LoadAppCatalog(DefaultCatalogFile());
  std::vector<std::string> folders;
  for (const auto& child : fs::directory_iterator(SourceDir() / "apps")) {
    const std::string name = child.path().filename().string();
    if (child.is_directory() && name != "common" && name != "__pycache__") folders.push_back(name);
  }
  std::sort(folders.begin(), folders.end());
  EXPECT_EQ(catalog.Names(), folders);
  EXPECT_GE(folders.size(), 3u);  // flask, django, falcon
  for (const auto& [name, e] : catalog.apps) {
    ASSERT_FALSE(e.sys_path.empty());
    EXPECT_EQ(e.sys_path.front(), SourceDir() / "apps" / name);
    EXPECT_EQ(e.sys_path.back(), SourceDir() / "apps/common");
  }
  EXPECT_EQ(catalog.Find("django").env.at("DJANGO_SETTINGS_MODULE"), "benchsite.settings");
}

TEST_F(AppCatalogTest, MissingFieldsNameFileFieldAndFix) {
  std::string text = ErrorFor({{"wsgi", "m:app"}});
  EXPECT_NE(text.find("missing field dir"), std::string::npos) << text;
  EXPECT_NE(text.find((dir_ / "frameworks.json").string() + ": frameworks.x.dir"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("relative to the repository root"), std::string::npos) << text;
  text = ErrorFor({{"dir", "d"}});
  EXPECT_NE(text.find("frameworks.x.wsgi"), std::string::npos) << text;
}

TEST_F(AppCatalogTest, MistypedFieldsAreErrors) {
  EXPECT_NE(ErrorFor({{"dir", "d"}, {"wsgi", "noColon"}}).find("module:callable"),
            std::string::npos);
  EXPECT_NE(ErrorFor({{"dir", "d"}, {"wsgi", "m:"}}).find("frameworks.x.wsgi"), std::string::npos);
  EXPECT_NE(ErrorFor({{"dir", "d"}, {"wsgi", "m:a"}, {"pythonpath", "apps/common"}})
                .find("frameworks.x.pythonpath"),
            std::string::npos);
  EXPECT_NE(ErrorFor({{"dir", "d"}, {"wsgi", "m:a"}, {"pythonpath", {"ok", 3}}})
                .find("frameworks.x.pythonpath[1]"),
            std::string::npos);
  EXPECT_NE(
      ErrorFor({{"dir", "d"}, {"wsgi", "m:a"}, {"env", {{"K", 1}}}}).find("frameworks.x.env.K"),
      std::string::npos);
  EXPECT_NE(ErrorFor({{"dir", "d"}, {"wsgi", "m:a"}, {"pythonpaht", {"x"}}}).find("unknown field"),
            std::string::npos);
  EXPECT_NO_THROW(LoadAppCatalog(
      Write({{"frameworks", {{"x", {{"dir", "d"}, {"wsgi", "m:a"}, {"_comment", "ok"}}}}}})));
}

TEST_F(AppCatalogTest, MissingFileAndUnknownNameSayHowToFix) {
  try {
    LoadAppCatalog(dir_ / "nope.json");
    FAIL();
  } catch (const Error& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find((dir_ / "nope.json").string()), std::string::npos) << text;
    EXPECT_NE(text.find("--frameworks"), std::string::npos) << text;
  }
  EXPECT_THROW(LoadAppCatalog(Write({{"apps", json::object()}})), Error);
  EXPECT_THROW(LoadAppCatalog(Write({{"frameworks", json::object()}})), Error);
  const auto catalog =
      LoadAppCatalog(Write({{"frameworks", {{"b", {{"dir", "d"}, {"wsgi", "m:a"}}}}}}));
  try {
    catalog.Find("flask");
    FAIL();
  } catch (const Error& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find("no framework named \"flask\""), std::string::npos) << text;
    EXPECT_NE(text.find("use one of: b"), std::string::npos) << text;
    EXPECT_NE(text.find((dir_ / "frameworks.json").string()), std::string::npos) << text;
  }
}

TEST_F(AppCatalogTest, RawTargetKeepsItsPathOrder) {
  const AppEntry e = TargetEntry("pkg.mod:make", {dir_ / "b", dir_ / "a", dir_ / "b"}, "--app");
  EXPECT_EQ(e.module, "pkg.mod");
  EXPECT_EQ(e.callable, "make");
  EXPECT_TRUE(e.name.empty() && e.dir.empty());
  EXPECT_EQ(e.sys_path, (std::vector<fs::path>{dir_ / "b", dir_ / "a"}));
  EXPECT_THROW(TargetEntry("flask", {}, "--app"), Error);
}

TEST_F(AppCatalogTest, JsonHasTheResolvedEntriesAndTheDefaultProfile) {
  const auto catalog = LoadAppCatalog(Write({{"frameworks",
                                              {{"x",
                                                {{"dir", dir_.string()},
                                                 {"wsgi", "m:a"},
                                                 {"pythonpath", {"apps/common"}},
                                                 {"env", {{"K", "v"}}}}}}}}));
  const json doc = CatalogJson(catalog);
  EXPECT_EQ(doc["schema"], "fwbench.apps/1");
  EXPECT_EQ(doc["default_profile"], "minimal");
  EXPECT_EQ(doc["file"], (dir_ / "frameworks.json").string());
  const json& x = doc["frameworks"]["x"];
  EXPECT_EQ(x["dir"], dir_.string());
  EXPECT_EQ(x["sys_path"], (json{dir_.string(), (SourceDir() / "apps/common").string()}));
  EXPECT_EQ(x["wsgi"], "m:a");
  EXPECT_EQ(x["module"], "m");
  EXPECT_EQ(x["callable"], "a");
  EXPECT_EQ(x["env"], (json{{"K", "v"}}));
  EXPECT_EQ(x["version_module"], "x");
  EXPECT_EQ(x["interface"], "wsgi");  // the default
}

TEST_F(AppCatalogTest, InterfaceIsWsgiOrAsgiAndAnythingElseNamesTheFileAndField) {
  const auto catalog = LoadAppCatalog(
      Write({{"frameworks",
              {{"w", {{"dir", "apps/w"}, {"wsgi", "m:a"}}},
               {"a", {{"dir", "apps/a"}, {"wsgi", "m:a"}, {"interface", "asgi"}}}}}}));
  EXPECT_EQ(catalog.Find("w").interface, "wsgi");
  EXPECT_EQ(catalog.Find("a").interface, "asgi");
  for (const json& bad : {json("rsgi"), json(1), json("WSGI")}) {
    const std::string e = ErrorFor({{"dir", "apps/x"}, {"wsgi", "m:a"}, {"interface", bad}});
    EXPECT_NE(e.find((dir_ / "frameworks.json").string() + ": frameworks.x.interface"),
              std::string::npos)
        << e;
    EXPECT_NE(e.find("is not an app interface"), std::string::npos) << e;
    EXPECT_NE(e.find("\"wsgi\" or \"asgi\""), std::string::npos) << e;
  }
}

TEST_F(AppCatalogTest, ShippedCatalogueNamesEachAppsInterface) {
  const json doc = ReadJsonFile(DefaultCatalogFile());
  for (const auto& [name, entry] : doc["frameworks"].items())
    EXPECT_EQ(entry.value("interface", ""), "wsgi") << name;
}

}  // namespace
}  // namespace fwbench::launch
