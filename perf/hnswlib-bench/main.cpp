// The hnswlib side of the ANN harness: same data files, parameters and measurements as perf/AotVector.AnnBench,
// printed as one JSON object. Built by perf/run-bench.sh with g++ -O3 -march=native against Debian's libhnswlib-dev.
#include <hnswlib/hnswlib.h>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Matrix {
    uint32_t rows = 0;
    uint32_t cols = 0;
    std::vector<float> f;
    std::vector<uint32_t> u;
};

// "fbin"/"ibin" layout: u32 rows, u32 cols, then rows*cols 4-byte values.
Matrix Read(const std::string& path, bool integers) {
    Matrix m;
    FILE* file = std::fopen(path.c_str(), "rb");
    if (!file) { std::fprintf(stderr, "cannot open %s\n", path.c_str()); std::exit(2); }
    if (std::fread(&m.rows, 4, 1, file) != 1 || std::fread(&m.cols, 4, 1, file) != 1) { std::exit(2); }
    size_t n = size_t(m.rows) * m.cols;
    void* data;
    if (integers) { m.u.resize(n); data = m.u.data(); } else { m.f.resize(n); data = m.f.data(); }
    if (std::fread(data, 4, n, file) != n) { std::fprintf(stderr, "short read %s\n", path.c_str()); std::exit(2); }
    std::fclose(file);
    return m;
}

double Seconds(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::unique_ptr<hnswlib::HierarchicalNSW<float>> Build(hnswlib::L2Space& space, const Matrix& base, int threads, int m, int efc, double& seconds) {
    auto start = std::chrono::steady_clock::now();
    auto index = std::make_unique<hnswlib::HierarchicalNSW<float>>(&space, base.rows, m, efc, 100);
    // First point alone (it becomes the entry point), then a shared counter, as in hnswlib's Python ParallelFor.
    index->addPoint(base.f.data(), 0);
    std::atomic<uint32_t> next{1};
    auto work = [&]() {
        for (uint32_t i; (i = next.fetch_add(1)) < base.rows;) {
            index->addPoint(base.f.data() + size_t(i) * base.cols, i);
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; t++) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    seconds = Seconds(start);
    return index;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) { std::fprintf(stderr, "usage: hnswlib-bench DATA_DIR [M] [EF_CONSTRUCT]  (any data dir: base.fbin, query.fbin, truth.ibin)\n"); return 64; }
    std::string dir = argv[1];
    int m = argc > 2 ? std::atoi(argv[2]) : 16;
    int efc = argc > 3 ? std::atoi(argv[3]) : 100;
    Matrix base = Read(dir + "/base.fbin", false);
    Matrix queries = Read(dir + "/query.fbin", false);
    Matrix truth = Read(dir + "/truth.ibin", true);
    const int k = 10;

    hnswlib::L2Space space(base.cols);
    double build1 = 0, build2 = 0;
    // BENCH_BUILD1=0 skips the 1-thread build (minutes on the 1M scale set); build_seconds_1t is then 0.
    const char* build1Text = std::getenv("BENCH_BUILD1");
    if (!build1Text || std::string(build1Text) != "0") { auto single = Build(space, base, 1, m, efc, build1); }
    auto index = Build(space, base, 2, m, efc, build2);

    std::printf("{\"engine\":\"hnswlib\",\"m\":%d,\"ef_construct\":%d,\"build_seconds_1t\":%.3f,\"build_seconds_2t\":%.3f,\"runs\":[",
                m, efc, build1, build2);
    // Several interleaved passes over the ef list, keeping each ef's best time (see AotVector.AnnBench).
    const int efs[] = {10, 16, 32, 64, 128, 256};
    const int efCount = sizeof(efs) / sizeof(efs[0]);
    const char* passesText = std::getenv("BENCH_SEARCH_PASSES");
    int passes = passesText && std::atoi(passesText) > 0 ? std::atoi(passesText) : 3;
    double best[efCount] = {};
    double bestCpu[efCount] = {};
    double recall[efCount] = {};
    for (int pass = 0; pass < passes; pass++) {
        for (int e = 0; e < efCount; e++) {
            index->setEf(efs[e]);
            // Warm the caches and branch predictors with a slice of the queries first.
            for (uint32_t q = 0; q < 500 && q < queries.rows; q++) index->searchKnn(queries.f.data() + size_t(q) * queries.cols, k);
            size_t found = 0;
            std::clock_t cpuStart = std::clock();
            auto start = std::chrono::steady_clock::now();
            for (uint32_t q = 0; q < queries.rows; q++) {
                auto result = index->searchKnn(queries.f.data() + size_t(q) * queries.cols, k);
                const uint32_t* expected = truth.u.data() + size_t(q) * truth.cols;
                while (!result.empty()) {
                    auto label = uint32_t(result.top().second);
                    for (int j = 0; j < k; j++) if (expected[j] == label) { found++; break; }
                    result.pop();
                }
            }
            double qps = queries.rows / Seconds(start);
            if (qps > best[e]) best[e] = qps;
            double cpuQps = queries.rows / (double(std::clock() - cpuStart) / CLOCKS_PER_SEC);
            if (cpuQps > bestCpu[e]) bestCpu[e] = cpuQps;
            recall[e] = double(found) / (double(queries.rows) * k);
        }
    }

    for (int e = 0; e < efCount; e++) {
        std::printf("%s{\"ef\":%d,\"recall\":%.5f,\"qps\":%.1f,\"cpu_qps\":%.1f}", e ? "," : "", efs[e], recall[e], best[e], bestCpu[e]);
    }

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("],\"peak_rss_mb\":%.1f}\n", usage.ru_maxrss / 1024.0);
    return 0;
}
