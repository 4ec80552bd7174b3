#include "git/Merge.h"

#include "git/Repository.h"

#include <set>

namespace maestro::host::git {

namespace {

// Where the merge lands: the ref to move, and the worktree (if any) whose files follow it.
struct Target {
    std::filesystem::path checkout; // empty: the base is not checked out anywhere
    std::string ref;                // "HEAD" of the checkout, or refs/heads/<base>
};

Target findTarget(const Repository& repository, const std::string& base) {
    if (base.empty()) return {repository.dir(), "HEAD"};
    const auto ref = "refs/heads/" + base;
    for (const auto& worktree : repository.worktrees())
        if (!worktree.bare && worktree.branch == ref) return {worktree.path, "HEAD"};
    return {{}, ref};
}

} // namespace

MergeOutcome merge(const Git& git, const MergeRequest& request) {
    Repository repository(git, request.repository);
    auto target = findTarget(repository, request.base);
    Repository where(git, target.checkout.empty() ? request.repository : target.checkout);

    auto tip = where.resolveCommit(target.ref);
    if (!tip) throw GitError(GitError::Kind::Failed, "the base " + target.ref + " has no commit");
    auto theirs = repository.resolveCommit("refs/heads/" + request.branch);
    if (!theirs)
        throw GitError(GitError::Kind::Failed, "the branch " + request.branch + " does not exist");

    MergeOutcome outcome;
    outcome.checkout = target.checkout;
    if (repository.mergeBase(*tip, *theirs) == *theirs) {
        outcome.kind = MergeOutcome::Kind::UpToDate;
        outcome.commit = *tip;
        return outcome;
    }

    auto merged = repository.mergeTree(*tip, *theirs);
    if (!merged.conflicts.empty()) {
        outcome.kind = MergeOutcome::Kind::Conflict;
        outcome.files = std::move(merged.conflicts);
        return outcome;
    }
    std::vector<std::string> parents = {*tip};
    if (request.strategy == MergeStrategy::Merge) parents.push_back(*theirs);
    auto commit = repository.commitTree(merged.tree, parents, request.message);
    auto files = repository.changedPaths(*tip, commit);

    if (!target.checkout.empty()) {
        // Files the merge changes must have no local changes (staged, unstaged or untracked
        // in their place): those would be overwritten, or would block the update half-way.
        std::set<std::string> changing(files.begin(), files.end());
        std::vector<std::string> dirty;
        for (const auto& entry : where.status().entries)
            if (changing.count(entry.path) || entry.conflicted) dirty.push_back(entry.path);
        if (!dirty.empty()) {
            outcome.kind = MergeOutcome::Kind::CheckoutDirty;
            outcome.files = std::move(dirty);
            return outcome;
        }
        try {
            where.switchTree(*tip, commit);
        } catch (const GitError& refused) {
            // git found what the check above could not see (an ignored file in the way); it
            // checks everything before it writes anything.
            outcome.kind = MergeOutcome::Kind::CheckoutDirty;
            outcome.files = std::move(files);
            outcome.detail = refused.what();
            return outcome;
        }
        try {
            where.updateRef(target.ref, commit, *tip, request.message);
        } catch (const GitError&) {
            where.switchTree(commit, *tip); // the base moved meanwhile: put the files back
            throw;
        }
    } else {
        where.updateRef(target.ref, commit, *tip, request.message);
    }
    outcome.kind = MergeOutcome::Kind::Merged;
    outcome.commit = std::move(commit);
    outcome.files = std::move(files);
    return outcome;
}

} // namespace maestro::host::git
