using RLKit.Tensors.Gemm;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Parameters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using RLKit.Tensors;

namespace RLKit.Benchmarks;

/// <summary>
/// C = A·B for square-ish float32 products (all operands row-major, not transposed), single-threaded
/// (<c>Threads = 1</c>) and with the default degree of parallelism (<c>Threads = 0</c>, i.e.
/// <see cref="Environment.ProcessorCount"/>). M, K and N are separate parameters, but only the shapes in
/// <see cref="Shapes"/> are run: <see cref="ShapeFilter"/> drops the rest of the cross product.
/// A GFLOPS column reports 2·M·N·K / mean time.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GemmBenchmarkConfig))]
public class GemmBenchmarks
{
    /// <summary>The (M, K, N) shapes that are benchmarked.</summary>
    public static readonly (int M, int K, int N)[] Shapes = [(64, 64, 64), (256, 64, 64), (256, 256, 256), (1024, 1024, 1024)];

    private float[] a = null!;
    private float[] b = null!;
    private float[] c = null!;

    /// <summary>Rows of A and C.</summary>
    [Params(64, 256, 1024)]
    public int M { get; set; }

    /// <summary>Columns of A, rows of B.</summary>
    [Params(64, 256, 1024)]
    public int K { get; set; }

    /// <summary>Columns of B and C.</summary>
    [Params(64, 256, 1024)]
    public int N { get; set; }

    /// <summary>Maximum threads; 0 = the engine default (one per processor).</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    /// <summary>Allocates and fills the operands, and sets the engine's degree of parallelism.</summary>
    [GlobalSetup]
    public void Setup()
    {
        EngineSettings.MaxDegreeOfParallelism = this.Threads == 0 ? Environment.ProcessorCount : this.Threads;
        var random = new Random(42);
        this.a = Enumerable.Range(0, this.M * this.K).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        this.b = Enumerable.Range(0, this.K * this.N).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        this.c = new float[this.M * this.N];
    }

    /// <summary>Restores the default degree of parallelism.</summary>
    [GlobalCleanup]
    public void Cleanup() => EngineSettings.MaxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>C = A·B.</summary>
    [Benchmark]
    public void Multiply()
        => GemmDriver.Multiply(false, false, this.M, this.N, this.K, this.a, this.K, this.b, this.N, this.c, this.N, accumulate: false);
}

/// <summary>Adds the GFLOPS column and the shape filter to whatever the command line asks for.</summary>
public sealed class GemmBenchmarkConfig : ManualConfig
{
    /// <summary>Initializes the config.</summary>
    public GemmBenchmarkConfig()
    {
        this.AddColumn(new GflopsColumn());
        this.AddFilter(new ShapeFilter());
    }
}

/// <summary>Keeps only the benchmark cases whose (M, K, N) is one of <see cref="GemmBenchmarks.Shapes"/>.</summary>
public sealed class ShapeFilter : IFilter
{
    /// <inheritdoc/>
    public bool Predicate(BenchmarkCase benchmarkCase)
    {
        if (!TryGetShape(benchmarkCase, out (int M, int K, int N) shape))
        {
            return true;
        }

        return GemmBenchmarks.Shapes.Contains(shape);
    }

    /// <summary>Reads the M, K and N parameters of a benchmark case, if it has them.</summary>
    internal static bool TryGetShape(BenchmarkCase benchmarkCase, out (int M, int K, int N) shape)
    {
        ParameterInstances parameters = benchmarkCase.Parameters;
        if (parameters.Items.Any(p => p.Name == "M") && parameters.Items.Any(p => p.Name == "K") && parameters.Items.Any(p => p.Name == "N"))
        {
            shape = ((int)parameters["M"], (int)parameters["K"], (int)parameters["N"]);
            return true;
        }

        shape = default;
        return false;
    }
}

/// <summary>Throughput of a matrix product: 2·M·N·K floating-point operations per mean time, in GFLOPS.</summary>
public sealed class GflopsColumn : IColumn
{
    /// <inheritdoc/>
    public string Id => nameof(GflopsColumn);

    /// <inheritdoc/>
    public string ColumnName => "GFLOPS";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => "Billions of floating-point operations per second: 2·M·N·K / Mean";

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => this.GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        BenchmarkReport? report = summary[benchmarkCase];
        double? meanNanoseconds = report?.ResultStatistics?.Mean;
        if (meanNanoseconds is not > 0 || !ShapeFilter.TryGetShape(benchmarkCase, out (int M, int K, int N) shape))
        {
            return "-";
        }

        double flops = 2.0 * shape.M * shape.N * shape.K;
        return (flops / meanNanoseconds.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public override string ToString() => this.ColumnName;
}
