using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.ActionRepresentations;
using RLKit.Algorithms.Ppo;
using RLKit.Data;
using RLKit.Environments;
using RLKit.Environments.Wrappers;
using RLKit.Envs.Grid;
using RLKit.Envs.Recommender;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace RLKit.Experiments;

// TEMPORARY FALLBACKS (issue 13). On the experiment branch the library pieces the pipeline calls are contract stubs
// that throw NotImplementedException (UtilityPolicyHead, ActionSubsampling, NearestActionProjection,
// NearestActionAgent) or do not exist yet (ActionEncoders, ActionSplit, SkillGrid.Displacement, the ActionObservationSet
// form of SkillGrid.ActionObservations, ItemCatalog.Features). NewActionsApi calls the library when it is there (a
// stub is detected by its NotImplementedException, a missing member by reflection) and a marked stand-in otherwise,
// so a merge of the branches switches every piece to the library by itself; NewActionsApi.Fallbacks lists the
// stand-ins actually used, every result.json records it and the report prints "fallback=yes" for such runs (smoke
// tests, not results). Verified on a trial merge of the data, hvae and utility branches: every piece resolved to the
// library and no fallback was used.
// LEAD: after the merge, make it direct: replace each member's body by the call its "LEAD:" comment names, set
// Fallbacks to [], and delete this file's classes below NewActionsApi (ActionEncoders shim and the Fallback* classes).

/// <summary>The library calls of the new-actions experiment, in one place so the switch to the real API is one file.</summary>
internal static class NewActionsApi
{
    private static readonly object Gate = new();
    private static readonly SortedSet<string> Used = new(StringComparer.Ordinal);

    /// <summary>The stand-ins used so far in this process (recorded in every result.json; empty once the library is complete).</summary>
    public static IReadOnlyList<string> Fallbacks
    {
        get { lock (Gate) return Used.ToArray(); }
    }

    /// <summary>
    /// Looks up, once, which library pieces are implemented, and records the stand-ins for the others, so the sweep's
    /// first line can warn before any run.
    /// </summary>
    public static void Probe()
    {
        _ = HasUtilityPolicy;
        using (var env = new SkillGrid())
        {
            Subsample(env, [0], 1);
            ProjectToNearest(env);
            var set = (ActionSet)env.ActionSpace;
            try
            {
                NearestAction(new UniformActionSetAgent(env.ObservationSpace, set, 0), [0], set.Representations, set.RepresentationSize);
            }
            catch (ArgumentException)
            {
                // The library's agent exists (it only disliked the probe's stand-in inner agent).
            }
        }
        if (ActionEncodersCreate is null) Use("hvae/vae/given = FallbackEncoder (mean observation offsets, no learning)");
        if (ActionSplitRandom is null) Use("ActionSplit.Random = local copy");
        if (SkillGridDisplacement is null) Use("SkillGrid.Displacement = local copy");
        if (SkillGridObservations is null) Use("SkillGrid.ActionObservations as ActionObservationSet = converted from the Tensor");
        if (ItemCatalogFeatures is null) Use("ItemCatalog.Features = FromVectors(item representations)");
    }

    private static void Use(string fallback)
    {
        lock (Gate)
        {
            if (Used.Add(fallback)) Console.Error.WriteLine($"new-actions: FALLBACK in use (smoke test, not results): {fallback}");
        }
    }

    /// <summary>Per-episode subsampling of m actions of <paramref name="pool"/> (seed 003 ch. 2).</summary>
    // LEAD: switch to `new ActionSubsampling(env, pool, actionsPerEpisode)`.
    public static IEnvironment Subsample(IEnvironment env, IReadOnlyList<int> pool, int actionsPerEpisode)
    {
        try
        {
            return new ActionSubsampling(env, pool, actionsPerEpisode);
        }
        catch (NotImplementedException)
        {
            Use("ActionSubsampling = FallbackSubsampling");
            return new FallbackSubsampling(env, pool, actionsPerEpisode);
        }
    }

    /// <summary>The continuous-output baseline's environment: a Box over representation space, executing the nearest available action.</summary>
    // LEAD: switch to `new NearestActionProjection(env)`.
    public static IEnvironment ProjectToNearest(IEnvironment env)
    {
        try
        {
            return new NearestActionProjection(env);
        }
        catch (NotImplementedException)
        {
            Use("NearestActionProjection = FallbackNearestProjection");
            return new FallbackNearestProjection(env);
        }
    }

    /// <summary>The nearest-neighbour baseline's agent: the discrete policy picks among <paramref name="sourceActions"/>, the nearest available action is executed.</summary>
    // LEAD: switch to `new NearestActionAgent(inner, sourceActions, representations, representationSize)`.
    public static IActionSetAgent NearestAction(IActionSetAgent inner, IReadOnlyList<int> sourceActions, ReadOnlySpan<float> representations, int representationSize)
    {
        try
        {
            return new NearestActionAgent(inner, sourceActions, representations, representationSize);
        }
        catch (NotImplementedException)
        {
            Use("NearestActionAgent = FallbackNearestAgent");
            return new FallbackNearestAgent(inner, sourceActions, representations, representationSize);
        }
    }

    /// <summary>PPO with the utility policy (eq. 2.3).</summary>
    // LEAD: switch to `estimator.WithUtilityPolicy()` (UtilityPolicyHead). The stand-in, Relations.UtilityPolicy, scores
    // [state code ‖ representation] with the same family of network (no relations, no summary).
    public static PpoEstimator WithUtilityPolicy(PpoEstimator estimator)
    {
        if (HasUtilityPolicy) return estimator.WithUtilityPolicy();
        Use("UtilityPolicyHead = Relations.UtilityPolicy via WithActionRelations");
        return estimator.WithActionRelations(Relations.UtilityPolicy);
    }

    private static bool HasUtilityPolicy => HasUtilityPolicyCache.Value;

    private static readonly Lazy<bool> HasUtilityPolicyCache = new(() =>
    {
        try
        {
            _ = new UtilityPolicyHead(4, new ActionSet(2, 1, [0f, 1f]), UtilityPolicyOptions.Default, new RandomGenerator(0));
            return true;
        }
        catch (NotImplementedException)
        {
            Use("UtilityPolicyHead = Relations.UtilityPolicy via WithActionRelations");
            return false;
        }
    });

    /// <summary>The 2:1:1 train/validation/test split of <paramref name="count"/> actions.</summary>
    // LEAD: switch to `ActionSplit.Random(count, seed, 2, 1, 1)` (RLKit.Spaces); the local copy shuffles the same way
    // (checked against the data branch).
    public static (int[] Train, int[] Validation, int[] Test) Split(int count, ulong seed)
    {
        if (ActionSplitRandom is { } random) return ((int[], int[], int[]))random.Invoke(null, [count, seed, 2, 1, 1])!;
        Use("ActionSplit.Random = local copy");
        var ids = Enumerable.Range(0, count).ToArray();
        new RandomGenerator(seed).Shuffle(ids.AsSpan());
        int train = count / 2, validation = count * 3 / 4;
        int[] Part(int start, int end) { var p = ids[start..end]; Array.Sort(p); return p; }
        return (Part(0, train), Part(train, validation), Part(validation, count));
    }

    /// <summary>The skill grid's action observations: trajectories of every skill on an empty 80 × 80 grid.</summary>
    // LEAD: switch to `SkillGrid.ActionObservations(trajectoriesPerSkill, seed)` (it returns an ActionObservationSet on the data branch).
    public static ActionObservationSet SkillObservations(int trajectoriesPerSkill, ulong seed)
    {
        if (SkillGridObservations is { } observations) return (ActionObservationSet)observations.Invoke(null, [trajectoriesPerSkill, seed, 80])!;
        Use("SkillGrid.ActionObservations as ActionObservationSet = converted from the Tensor");
        var tensor = (Tensor)typeof(SkillGrid).GetMethod(nameof(SkillGrid.ActionObservations), [typeof(int), typeof(ulong), typeof(int)])!
                                              .Invoke(null, [trajectoriesPerSkill, seed, 80])!;
        var counts = Enumerable.Repeat(trajectoriesPerSkill, SkillGrid.SkillCount).ToArray();
        return new ActionObservationSet(counts, tensor.Dim(2), tensor.Dim(3), tensor.AsReadOnlySpan());
    }

    /// <summary>The net displacement (dx, dy) of a skill on an open grid (x right, y down).</summary>
    // LEAD: switch to `SkillGrid.Displacement(skill)`.
    public static (int Dx, int Dy) Displacement(int skill)
    {
        if (SkillGridDisplacement is { } displacement) return ((int, int))displacement.Invoke(null, [skill])!;
        Use("SkillGrid.Displacement = local copy");
        Span<int> moves = stackalloc int[SkillGrid.SkillLength];
        SkillGrid.DecodeSkill(skill, moves);
        int dx = 0, dy = 0;
        foreach (int m in moves)
        {
            switch (m)
            {
                case 0: dx++; break;
                case 1: dy++; break;
                case 2: dx--; break;
                default: dy--; break;
            }
        }
        return (dx, dy);
    }

    /// <summary>The recommender's item features as action observations (one vector per item).</summary>
    // LEAD: switch to `catalog.Features()`.
    public static ActionObservationSet ItemFeatures(ItemCatalog catalog)
    {
        if (ItemCatalogFeatures is { } features) return (ActionObservationSet)features.Invoke(catalog, null)!;
        Use("ItemCatalog.Features = FromVectors(item representations)");
        return ActionObservationSet.FromVectors(catalog.Representations, catalog.RepresentationSize);
    }

    /// <summary>An action encoder by name ("hvae", "vae", "given").</summary>
    // LEAD: switch to `ActionEncoders.Create(name, steps, features, options, rng)` and delete the shim below.
    public static IActionEncoder CreateEncoder(string name, int steps, int features, ActionEncoderOptions options, RandomGenerator rng)
    {
        if (ActionEncodersCreate is { } create) return (IActionEncoder)create.Invoke(null, [name, steps, features, options, rng])!;
        Use("hvae/vae/given = FallbackEncoder (mean observation offsets, no learning)");
        return ActionEncoders.Create(name, steps, features, options, rng);
    }

    // The members the contract adds on other branches, looked up by reflection so this file compiles before they exist.
    private static readonly System.Reflection.MethodInfo? ActionEncodersCreate =
        typeof(IActionEncoder).Assembly.GetType("RLKit.Algorithms.ActionRepresentations.ActionEncoders")
            ?.GetMethod("Create", [typeof(string), typeof(int), typeof(int), typeof(ActionEncoderOptions), typeof(RandomGenerator)]);

    private static readonly System.Reflection.MethodInfo? ActionSplitRandom =
        typeof(ActionSet).Assembly.GetType("RLKit.Spaces.ActionSplit")?.GetMethod("Random", [typeof(int), typeof(ulong), typeof(int), typeof(int), typeof(int)]);

    private static readonly System.Reflection.MethodInfo? SkillGridDisplacement = typeof(SkillGrid).GetMethod("Displacement", [typeof(int)]);

    private static readonly System.Reflection.MethodInfo? SkillGridObservations =
        typeof(SkillGrid).GetMethod(nameof(SkillGrid.ActionObservations), [typeof(int), typeof(ulong), typeof(int)]) is { } m && m.ReturnType == typeof(ActionObservationSet) ? m : null;

    private static readonly System.Reflection.MethodInfo? ItemCatalogFeatures =
        typeof(ItemCatalog).GetMethod("Features", Type.EmptyTypes) is { } f && f.ReturnType == typeof(ActionObservationSet) ? f : null;
}

/// <summary>The encoder registry's shape (RLKit.Algorithms.ActionRepresentations.ActionEncoders, not on this branch yet).</summary>
// LEAD: delete this class and FallbackEncoder once the library's ActionEncoders is merged (NewActionsApi.CreateEncoder then
// calls it directly). While both exist this one shadows the library's inside RLKit.Experiments; nothing but
// NewActionsApi.CreateEncoder calls it.
internal static class ActionEncoders
{
    public static IReadOnlyList<string> Names { get; } = ["hvae", "vae", "given"];

    public static IActionEncoder Create(string name, int steps, int features, ActionEncoderOptions options, RandomGenerator rng) =>
        Names.Contains(name) ? new FallbackEncoder(name, steps, features, options) : throw new ArgumentException($"unknown encoder '{name}'", nameof(name));
}

/// <summary>
/// FALLBACK encoder, no learning. "given": the mean of each action's observations, flattened (the contract's
/// "given"). "hvae"/"vae": the mean over observations of each frame's offset from the first frame, zero-padded or cut
/// to the representation size (for skill trajectories, the mean path of the skill).
/// </summary>
internal sealed class FallbackEncoder(string name, int steps, int features, ActionEncoderOptions options) : IActionEncoder
{
    public string Name => name;

    public int RepresentationSize => name == "given" ? steps * features : options.RepresentationSize;

    public IReadOnlyList<ActionEncoderEpoch> Fit(ActionObservationSet observations, ReadOnlySpan<int> trainingActions,
                                                 IProgress<ActionEncoderEpoch>? progress = null, CancellationToken cancellationToken = default) => [];

    public float[] Infer(ActionObservationSet observations, ReadOnlySpan<int> actions)
    {
        int size = RepresentationSize, frame = features, observationSize = steps * features;
        var result = new float[actions.Length * size];
        var mean = new float[observationSize];
        for (int i = 0; i < actions.Length; i++)
        {
            Array.Clear(mean);
            var all = observations.Observations(actions[i]);
            int count = observations.ObservationCount(actions[i]);
            for (int o = 0; o < count; o++)
            {
                var x = all.Slice(o * observationSize, observationSize);
                for (int j = 0; j < observationSize; j++)
                    mean[j] += (name == "given" || steps == 1 ? x[j] : x[j] - x[j % frame]) / count;
            }
            var source = name == "given" || steps == 1 ? mean.AsSpan() : mean.AsSpan(frame);
            source[..Math.Min(size, source.Length)].CopyTo(result.AsSpan(i * size, size));
        }
        if (name == "given") return result;
        // Standardise each coordinate over the actions, so the stand-in's scale is that of a learned code (unit-ish).
        for (int j = 0; j < size; j++)
        {
            double centre = 0, square = 0;
            for (int i = 0; i < actions.Length; i++) { double v = result[i * size + j]; centre += v; square += v * v; }
            centre /= actions.Length;
            double std = Math.Sqrt(Math.Max(square / actions.Length - centre * centre, 0));
            for (int i = 0; i < actions.Length; i++) result[i * size + j] = std > 1e-9 ? (float)((result[i * size + j] - centre) / std) : 0f;
        }
        return result;
    }

    public void Save(string path) { }
}

/// <summary>FALLBACK of ActionSubsampling: after each reset, exactly min(m, |pool|) actions of the pool are available.</summary>
internal sealed class FallbackSubsampling : Wrapper
{
    private readonly ActionSet _set;
    private readonly int[] _pool;
    private readonly int _m;
    private RandomGenerator _rng = new(0);

    public FallbackSubsampling(IEnvironment env, IReadOnlyList<int> pool, int actionsPerEpisode) : base(env)
    {
        _set = env.ActionSpace as ActionSet ?? throw new ArgumentException("FallbackSubsampling: an ActionSet is needed.", nameof(env));
        _pool = pool.ToArray();
        _m = Math.Min(actionsPerEpisode, _pool.Length);
    }

    public override ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        var result = Inner.Reset(seed, options);
        if (seed is { } s) _rng = new RandomGenerator(s ^ 0x5AB5_A3F1_ACE5UL);
        var available = _set.Available;
        available.Clear();
        for (int i = 0; i < _m; i++)
        {
            int j = i + _rng.NextInt(_pool.Length - i);
            (_pool[i], _pool[j]) = (_pool[j], _pool[i]);
            available[_pool[i]] = true;
        }
        return result;
    }
}

/// <summary>FALLBACK of NearestActionProjection: a Box over representation space; Step executes the nearest available action.</summary>
internal sealed class FallbackNearestProjection : Wrapper
{
    private readonly ActionSet _set;

    public FallbackNearestProjection(IEnvironment env) : base(env)
    {
        _set = env.ActionSpace as ActionSet ?? throw new ArgumentException("FallbackNearestProjection: an ActionSet is needed.", nameof(env));
        int r = _set.RepresentationSize;
        var low = Enumerable.Repeat(float.PositiveInfinity, r).ToArray();
        var high = Enumerable.Repeat(float.NegativeInfinity, r).ToArray();
        var reps = _set.Representations;
        for (int a = 0; a < _set.Count; a++)
        {
            for (int j = 0; j < r; j++)
            {
                low[j] = Math.Min(low[j], reps[a * r + j]);
                high[j] = Math.Max(high[j], reps[a * r + j]);
            }
        }
        ActionSpace = new Box(low, high, [r]);
    }

    public override Space ActionSpace { get; }

    public override StepResult Step(ReadOnlySpan<float> action) => Inner.Step(Nearest(action));

    public int Nearest(ReadOnlySpan<float> point)
    {
        int r = _set.RepresentationSize, best = -1;
        float bestDistance = float.PositiveInfinity;
        var reps = _set.Representations;
        var available = _set.Available;
        for (int a = 0; a < _set.Count; a++)
        {
            if (!available[a]) continue;
            float d = TensorPrimitives.Distance(point, reps.Slice(a * r, r));
            if (d < bestDistance) { bestDistance = d; best = a; }
        }
        return best;
    }
}

/// <summary>FALLBACK of NearestActionAgent.</summary>
internal sealed class FallbackNearestAgent : IActionSetAgent
{
    private readonly IActionSetAgent _inner;
    private readonly bool[] _source;
    private readonly float[] _representations;
    private readonly int _size;

    public FallbackNearestAgent(IActionSetAgent inner, IReadOnlyList<int> sourceActions, ReadOnlySpan<float> representations, int representationSize)
    {
        _inner = inner;
        _size = representationSize;
        _representations = representations.ToArray();
        _source = new bool[_representations.Length / representationSize];
        foreach (int a in sourceActions) _source[a] = true;
    }

    public string Algorithm => _inner.Algorithm;

    public Space ObservationSpace => _inner.ObservationSpace;

    public Space ActionSpace => _inner.ActionSpace;

    public void Act(Tensor observations, ReadOnlySpan<bool> availability, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        int universe = _source.Length, rows = actions.Length;
        var mask = new bool[rows * universe];
        for (int row = 0; row < rows; row++) _source.CopyTo(mask, row * universe);
        _inner.Act(observations, mask, actions, deterministic, rng);
        for (int row = 0; row < rows; row++)
        {
            var chosen = _representations.AsSpan(actions[row] * _size, _size);
            int best = -1;
            float bestDistance = float.PositiveInfinity;
            for (int a = 0; a < universe; a++)
            {
                if (!availability[row * universe + a]) continue;
                float d = TensorPrimitives.Distance(chosen, _representations.AsSpan(a * _size, _size));
                if (d < bestDistance) { bestDistance = d; best = a; }
            }
            actions[row] = best;
        }
    }

    public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException("nearest action: needs each row's available actions.");

    public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException("nearest action: the action space is discrete.");
}
