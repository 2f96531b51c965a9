using RLKit.Environments;
using RLKit.Environments.Vector;

namespace RLKit.Hosting;

/// <summary>
/// <see cref="RLContext.Environments"/>: makes environments, vector environments and task sets by id from the
/// context's <see cref="EnvironmentCatalog"/> (ML.NET's <c>DataOperationsCatalog</c> for environments).
/// </summary>
public sealed class EnvironmentOperationsCatalog
{
    private readonly RLContext _context;
    private readonly Lazy<EnvironmentCatalog> _catalog;

    internal EnvironmentOperationsCatalog(RLContext context, Func<EnvironmentCatalog> catalog)
    {
        _context = context;
        _catalog = new Lazy<EnvironmentCatalog>(catalog, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The underlying id-based catalog; register your own environments here.</summary>
    public EnvironmentCatalog Catalog => _catalog.Value;

    /// <summary>The registered environment ids, ordered.</summary>
    public IReadOnlyList<string> Ids => Catalog.Environments.Select(e => e.Id).ToArray();

    /// <summary>The registered environments with their descriptions, ordered by id.</summary>
    public IReadOnlyList<EnvironmentCatalog.Entry> List() => Catalog.Environments;

    /// <summary>The registered task sets with their descriptions, ordered by id.</summary>
    public IReadOnlyList<EnvironmentCatalog.TaskSetEntry> ListTaskSets() => Catalog.TaskSets;

    /// <summary>Creates the environment registered as <paramref name="id"/> (not reset; Fit and Evaluate reset it).</summary>
    /// <param name="id">A registered id such as "CartPole-v1".</param>
    /// <param name="options">The environment's options record, or null for its defaults.</param>
    /// <exception cref="KeyNotFoundException">If the id is unknown; the message lists the known ids.</exception>
    public IEnvironment Make(string id, object? options = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (Catalog.Environments.Count == 0)
            throw new KeyNotFoundException(
                $"No environment '{id}': this RLContext's environment catalog is empty. Reference RLKit.Envs and create the context " +
                "with RLKitEnvs.CreateContext(seed), pass StandardEnvironments.CreateCatalog() to the RLContext constructor, " +
                "or resolve RLContext from services.AddRLKit(b => b.AddStandardEnvironments()). " + RLKitModules.Describe());
        return Catalog.Make(id, options);
    }

    /// <summary>
    /// Creates <paramref name="count"/> copies of environment <paramref name="id"/> stepped as one vector environment
    /// and resets it (sub-environment i with seed + i), so <see cref="IVectorEnvironment.Observations"/> is ready.
    /// </summary>
    /// <param name="id">A registered id such as "CartPole-v1".</param>
    /// <param name="count">The number of sub-environments; at least 1.</param>
    /// <param name="seed">
    /// The reset seed; null takes the next seed of the context. <c>Fit</c> trains from this seed
    /// (<see cref="IVectorEnvironment.Seed"/>), whatever the algorithm's seed.
    /// </param>
    /// <param name="mode">The autoreset mode; training needs <see cref="AutoresetMode.SameStep"/> (the default).</param>
    /// <param name="parallel">Step sub-environments on worker threads (<see cref="ParallelVectorEnvironment"/>) rather than in turn.</param>
    /// <param name="options">The environment's options record, or null for its defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="count"/> is less than 1.</exception>
    /// <exception cref="KeyNotFoundException">If the id is unknown; the message lists the known ids.</exception>
    public IVectorEnvironment MakeVector(string id, int count, ulong? seed = null, AutoresetMode mode = AutoresetMode.SameStep,
                                         bool parallel = false, object? options = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "MakeVector: count must be at least 1.");
        var envs = new List<IEnvironment>(count);
        try
        {
            for (int i = 0; i < count; i++) envs.Add(Make(id, options));
            IVectorEnvironment vector = parallel
                ? new ParallelVectorEnvironment(envs, mode)
                : new SyncVectorEnvironment(envs, mode);
            vector.Reset(seed ?? _context.NextSeed());
            return vector;
        }
        catch
        {
            foreach (var env in envs) env.Dispose();
            throw;
        }
    }

    /// <summary>Creates the task set registered as <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">If the id is unknown; the message lists the known task sets.</exception>
    public ITaskSet MakeTaskSet(string id, object? options = null) => Catalog.MakeTaskSet(id, options);
}
