// The hnswlib side of the ANN harness: same data files, parameters and measurements as perf/AotVector.AnnBench,
// printed as one JSON object. Built by perf/run-bench.sh with g++ -O3 -march=native against Debian's libhnswlib-dev.
#include <hnswlib/hnswlib.h>

#include <sys/resource.h>

#include <algorithm>
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

double ThreadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// `filtered DIR [M] [EF_CONSTRUCT] [EF]`: the anchor of AotVector.AnnBench's `filtered` verb, over the files it writes with
// BENCH_MASKS=DIR (base/query vectors, filters.txt, mask<i>.bin one byte per point, truth<i>.ibin exact filtered top-10).
// Debian's hnswlib (0.6) has no filter functor yet; its deletion marks are the same check at the same place in the
// search (a marked node is traversed but not returned, and the walk goes on until ef results are found), so each
// filter marks the points it excludes as deleted, runs the queries single-threaded, and unmarks them.
int Filtered(const std::string& dir, int m, int efc, int ef) {
    Matrix base = Read(dir + "/base.fbin", false);
    Matrix queries = Read(dir + "/query.fbin", false);
    hnswlib::L2Space space(base.cols);
    double build = 0;
    auto index = Build(space, base, 2, m, efc, build);
    index->setEf(ef);
    std::vector<std::string> names;
    {
        FILE* file = std::fopen((dir + "/filters.txt").c_str(), "r");
        char line[512];
        while (file && std::fgets(line, sizeof line, file)) {
            std::string name(line);
            while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
            names.push_back(name);
        }
        if (file) std::fclose(file);
    }
    std::printf("{\"engine\":\"hnswlib\",\"points\":%u,\"m\":%d,\"ef_construct\":%d,\"ef\":%d,\"build_seconds_2t\":%.3f,\"filters\":[",
                base.rows, m, efc, ef, build);
    const int k = 10;
    for (size_t f = 0; f < names.size(); f++) {
        std::vector<uint8_t> mask(base.rows);
        FILE* file = std::fopen((dir + "/mask" + std::to_string(f) + ".bin").c_str(), "rb");
        if (!file || std::fread(mask.data(), 1, mask.size(), file) != mask.size()) { std::fprintf(stderr, "bad mask %zu\n", f); return 2; }
        std::fclose(file);
        Matrix truth = Read(dir + "/truth" + std::to_string(f) + ".ibin", true);
        size_t matching = 0;
        for (uint32_t i = 0; i < base.rows; i++) {
            if (mask[i]) matching++; else index->markDelete(i);
        }
        for (uint32_t q = 0; q < queries.rows / 10; q++) index->searchKnn(queries.f.data() + size_t(q) * queries.cols, k);
        std::vector<double> wall(queries.rows), cpu(queries.rows);
        size_t found = 0, wanted = 0;
        for (uint32_t q = 0; q < queries.rows; q++) {
            double cpuStart = ThreadCpuMs();
            auto start = std::chrono::steady_clock::now();
            auto result = index->searchKnn(queries.f.data() + size_t(q) * queries.cols, k);
            wall[q] = Seconds(start) * 1e3;
            cpu[q] = ThreadCpuMs() - cpuStart;
            const uint32_t* expected = truth.u.data() + size_t(q) * truth.cols;
            for (int j = 0; j < k; j++) if (expected[j] != UINT32_MAX) wanted++;
            while (!result.empty()) {
                auto label = uint32_t(result.top().second);
                for (int j = 0; j < k; j++) if (expected[j] == label) { found++; break; }
                result.pop();
            }
        }
        for (uint32_t i = 0; i < base.rows; i++) if (!mask[i]) index->unmarkDelete(i);
        std::sort(wall.begin(), wall.end());
        std::sort(cpu.begin(), cpu.end());
        auto at = [](const std::vector<double>& v, double p) { return v[std::min(v.size() - 1, size_t(v.size() * p))]; };
        std::printf("%s{\"filter\":\"%s\",\"selectivity\":%.5f,\"p50_ms\":%.3f,\"p95_ms\":%.3f,\"cpu_p50_ms\":%.3f,\"cpu_p95_ms\":%.3f,\"recall\":%.4f}",
                    f ? "," : "", names[f].c_str(), double(matching) / base.rows, at(wall, 0.5), at(wall, 0.95), at(cpu, 0.5), at(cpu, 0.95),
                    wanted ? double(found) / wanted : 1.0);
        std::fprintf(stderr, "%-30s sel=%.4f p50=%.3f p95=%.3f cpu p50=%.3f p95=%.3f recall=%.3f\n", names[f].c_str(), double(matching) / base.rows,
                     at(wall, 0.5), at(wall, 0.95), at(cpu, 0.5), at(cpu, 0.95), wanted ? double(found) / wanted : 1.0);
    }
    std::printf("]}\n");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 3 && std::string(argv[1]) == "filtered") {
        return Filtered(argv[2], argc > 3 ? std::atoi(argv[3]) : 16, argc > 4 ? std::atoi(argv[4]) : 100, argc > 5 ? std::atoi(argv[5]) : 64);
    }

    if (argc < 2) { std::fprintf(stderr, "usage: hnswlib-bench DATA_DIR [M] [EF_CONSTRUCT]  (any data dir: base.fbin, query.fbin, truth.ibin) | filtered MASK_DIR [M] [EF_CONSTRUCT] [EF]\n"); return 64; }
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
