// SPDX-License-Identifier: Apache-2.0
// The check registry: one line per check (house style §3.3). A check lives in
// src/checks/<category>/<name>.cpp and its id is "<category>/<name>".
#include "deadbox/checks/check.hpp"

namespace deadbox::checks {

// (declarations: extern const Check kXxx;)
extern const Check kPersistenceAuthorizedKeys;
extern const Check kPersistenceCronDownloadExec;
extern const Check kPersistenceLdPreloadEnv;
extern const Check kPersistenceLdSoPreload;
extern const Check kPersistencePathHijack;
extern const Check kPersistenceRedisWrittenFile;
extern const Check kPersistenceStartupScriptExec;
extern const Check kPersistenceSystemdExecOddPath;
extern const Check kExecutionHistoryClearing;
extern const Check kExecutionHistoryDownloadExec;
extern const Check kServicesHostsPoolOrC2;
extern const Check kServicesRedisExposed;
extern const Check kServicesSshdRootPassword;
extern const Check kAccountsCreatedOrDeleted;
extern const Check kAccountsDuplicateUid;
extern const Check kAccountsEmptyPassword;
extern const Check kAccountsOddAccountName;
extern const Check kAccountsSystemAccountLoginShell;
extern const Check kAccountsUid0NonRoot;
extern const Check kLoginsBruteForce;
extern const Check kLoginsCronDownload;
extern const Check kLoginsLogTampering;
extern const Check kLoginsPublicSourceLogin;
extern const Check kLoginsRootPasswordLogin;
extern const Check kLoginsSuccessAfterFailures;
extern const Check kLoginsZmodemTransfer;
extern const Check kFilesDeletedInSensitiveDir;
extern const Check kFilesElfBehindNonExecName;
extern const Check kFilesElfInOddPlace;
extern const Check kFilesHiddenDirInSystemPath;
extern const Check kFilesHistoryToDevnull;
extern const Check kFilesIndicatorContent;
extern const Check kFilesKernelModuleOddPlace;
extern const Check kFilesKernelThreadLookalike;
extern const Check kFilesRandomName;
extern const Check kFilesTimestomp;

namespace {
const Check* const kChecks[] = {
    nullptr,  // placeholder so the array is never empty; skipped below
    &kPersistenceAuthorizedKeys,
    &kPersistenceCronDownloadExec,
    &kPersistenceLdPreloadEnv,
    &kPersistenceLdSoPreload,
    &kPersistencePathHijack,
    &kPersistenceRedisWrittenFile,
    &kPersistenceStartupScriptExec,
    &kPersistenceSystemdExecOddPath,
    &kExecutionHistoryClearing,
    &kExecutionHistoryDownloadExec,
    &kServicesHostsPoolOrC2,
    &kServicesRedisExposed,
    &kServicesSshdRootPassword,
    &kAccountsCreatedOrDeleted,
    &kAccountsDuplicateUid,
    &kAccountsEmptyPassword,
    &kAccountsOddAccountName,
    &kAccountsSystemAccountLoginShell,
    &kAccountsUid0NonRoot,
    &kLoginsBruteForce,
    &kLoginsCronDownload,
    &kLoginsLogTampering,
    &kLoginsPublicSourceLogin,
    &kLoginsRootPasswordLogin,
    &kLoginsSuccessAfterFailures,
    &kLoginsZmodemTransfer,
    &kFilesDeletedInSensitiveDir,
    &kFilesElfBehindNonExecName,
    &kFilesElfInOddPlace,
    &kFilesHiddenDirInSystemPath,
    &kFilesHistoryToDevnull,
    &kFilesIndicatorContent,
    &kFilesKernelModuleOddPlace,
    &kFilesKernelThreadLookalike,
    &kFilesRandomName,
    &kFilesTimestomp,
};
}  // namespace

std::span<const Check* const> all_checks() {
  return std::span<const Check* const>(kChecks + 1, std::size(kChecks) - 1);
}

}  // namespace deadbox::checks
