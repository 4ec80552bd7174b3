#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace maestro::host::http {

// A fixed set of threads that run queued jobs in order. Handlers may block (a write waits for
// its group commit, a spawn for its process), so there are many threads, each asleep until a
// job arrives; a job is always queued, never refused.
template <class Job> class WorkerPool {
public:
    WorkerPool(std::size_t threads, std::string name, std::function<void(Job&)> run)
        : run_(std::move(run)) {
        threads_.reserve(threads);
        for (std::size_t i = 0; i < threads; ++i)
            threads_.emplace_back([this, name] {
                ::pthread_setname_np(::pthread_self(), name.substr(0, 15).c_str());
                work();
            });
    }
    ~WorkerPool() { stop(); }
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void submit(Job job) {
        {
            std::lock_guard lock(mutex_);
            queue_.push_back(std::move(job));
        }
        wake_.notify_one();
    }

    // Runs every job already queued, then joins the threads.
    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        for (auto& thread : threads_)
            if (thread.joinable()) thread.join();
        threads_.clear();
    }

private:
    void work() {
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;
            Job job = std::move(queue_.front());
            queue_.pop_front();
            lock.unlock();
            run_(job);
            lock.lock();
        }
    }

    std::function<void(Job&)> run_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

} // namespace maestro::host::http
