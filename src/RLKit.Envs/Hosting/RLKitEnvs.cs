using Microsoft.Extensions.Logging;
using RLKit.Hosting;

namespace RLKit.Envs;

/// <summary>Creates an <see cref="RLContext"/> over the standard environment catalog without dependency injection.</summary>
public static class RLKitEnvs
{
    /// <summary>
    /// A context whose <see cref="RLContext.Environments"/> holds every standard environment ("CartPole-v1",
    /// "Pendulum-v1", ...): the explicit form of <c>new RLContext(seed)</c>.
    /// </summary>
    /// <param name="seed">The root of every seed the context hands out.</param>
    /// <param name="loggerFactory">Where training progress is also logged; may be null.</param>
    /// <param name="algorithms">
    /// Algorithms by name for <see cref="AgentCatalog.Create(string, object?)"/> and <c>Model.Load</c>; null takes
    /// <see cref="AlgorithmRegistry.CreateDefault"/> (every deployed algorithm package's, e.g. RLKit.Algorithms' classics).
    /// </param>
    public static RLContext CreateContext(ulong seed = 0, ILoggerFactory? loggerFactory = null, AlgorithmRegistry? algorithms = null) =>
        new(StandardEnvironments.CreateCatalog(), algorithms, seed, loggerFactory);
}
