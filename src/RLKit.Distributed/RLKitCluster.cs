using RLKit.Environments;

namespace RLKit.Distributed;

/// <summary>
/// The learner's handle on an Orleans cluster whose silos host RLKit's grains (<c>AddRLKitWorkers</c>):
/// <c>estimator.Fit(cluster.VectorEnvironment("CartPole-v1", workers: 8, environmentsPerWorker: 16), budget)</c> trains
/// exactly as on a local vector environment, with the sub-environments stepped on the silos.
/// </summary>
public sealed class RLKitCluster
{
    private readonly IGrainFactory _grains;
    private readonly EnvironmentCatalog _catalog;

    /// <summary>A cluster handle over <paramref name="grains"/> (an <c>IClusterClient</c>, or a grain factory inside a silo).</summary>
    /// <param name="grains">The cluster client.</param>
    /// <param name="catalog">The learner's environment catalog: it must register the same ids as the silos' (the learner reads the spaces from it).</param>
    /// <param name="options">Retry settings; null for the defaults.</param>
    public RLKitCluster(IGrainFactory grains, EnvironmentCatalog catalog, DistributedOptions? options = null)
    {
        _grains = grains ?? throw new ArgumentNullException(nameof(grains));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        Options = options ?? new DistributedOptions();
        Options.Validate();
    }

    /// <summary>The retry settings.</summary>
    public DistributedOptions Options { get; }

    internal IGrainFactory Grains => _grains;

    internal EnvironmentCatalog Catalog => _catalog;

    /// <summary>
    /// A vector environment of <paramref name="workers"/> × <paramref name="environmentsPerWorker"/> copies of
    /// <paramref name="id"/>, hosted by worker grains across the cluster and reset with <paramref name="seed"/>
    /// (sub-environment i with seed + i), like <c>rl.Environments.MakeVector(id, count, seed)</c>.
    /// </summary>
    /// <param name="id">A catalog id such as "CartPole-v1", registered on the learner and on every silo.</param>
    /// <param name="workers">Worker grains, 1 to 4096.</param>
    /// <param name="environmentsPerWorker">Sub-environments each worker steps, 1 to 65536.</param>
    /// <param name="seed">The reset seed (default 0).</param>
    /// <param name="options">The environment's options record (it travels as JSON), or null for its defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">If a count is outside its range.</exception>
    /// <exception cref="KeyNotFoundException">If the learner's catalog does not know <paramref name="id"/>.</exception>
    public DistributedVectorEnvironment VectorEnvironment(string id, int workers, int environmentsPerWorker, ulong seed = 0, object? options = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (workers is < 1 or > 4096)
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "VectorEnvironment: workers must be in [1, 4096].");
        if (environmentsPerWorker is < 1 or > 65536)
            throw new ArgumentOutOfRangeException(nameof(environmentsPerWorker), environmentsPerWorker, "VectorEnvironment: environmentsPerWorker must be in [1, 65536].");
        using var prototype = _catalog.Make(id, options);
        // A fresh run id per vector environment: its workers are new grains, never another run's.
        var env = new DistributedVectorEnvironment(_grains, $"rollout-{Guid.NewGuid():N}", id, options, prototype, workers, environmentsPerWorker, Options);
        try
        {
            env.Reset(seed);
            return env;
        }
        catch
        {
            env.Dispose();
            throw;
        }
    }
}
