using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace RLKit.Benchmarks;

/// <summary>
/// <see cref="QuickStartTraining"/> as a user's run pays for it: a fresh process, one <c>Fit</c> of PPO on CartPole-v1
/// for 100 000 steps, measured cold (no jitting run, no warm-up, one launch per measurement), once with the runtime's default
/// settings (tiered compilation with dynamic PGO, what an ordinary app gets) and once with tiered compilation off (the
/// baseline: everything JIT-compiled fully optimised at first call). <see cref="QuickStartBenchmarks"/> measures the
/// same training warm, after BenchmarkDotNet's jitting run, which hides exactly the start-up cost compared here.
/// It brings its own jobs, so run it without <c>--job</c>.
/// </summary>
[Config(typeof(QuickStartColdStartConfig))]
public class QuickStartColdStartBenchmarks : QuickStartTraining;

/// <summary>
/// Two cold-start jobs of eight launches each, one measured invocation per launch: the runtime's defaults, and
/// <c>DOTNET_TieredCompilation=0</c> as the baseline the Ratio column divides by.
/// </summary>
public sealed class QuickStartColdStartConfig : ManualConfig
{
    /// <summary>Initializes the config.</summary>
    public QuickStartColdStartConfig()
    {
        var cold = Job.Default
            .WithStrategy(RunStrategy.ColdStart)
            .WithLaunchCount(8)
            .WithWarmupCount(0)
            .WithIterationCount(1)
            .WithInvocationCount(1)
            .WithUnrollFactor(1);
        this.AddJob(cold.WithId("DefaultSettings"));
        this.AddJob(cold.WithEnvironmentVariable("DOTNET_TieredCompilation", "0").WithId("TieredCompilationOff").AsBaseline());
    }
}
