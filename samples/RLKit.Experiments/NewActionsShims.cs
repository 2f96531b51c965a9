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

// TEMPORARY FALLBACKS (issue 13). On the experiment branch the library pieces below are contract stubs that throw
// NotImplementedException; these stand-ins let the new-actions pipeline run end to end before they land. Every one
// is marked "LEAD: switch to …" with the exact replacement. Once the library parts are merged:
//   1. replace each NewActionsApi member's body by the call its LEAD comment names (one line each);
//   2. delete the fallback classes at the bottom of this file, and the ActionEncoders shim (the registry in
//      RLKit.Algorithms.ActionRepresentations then resolves, since this file is the only one declaring the name here).
// Numbers produced with any fallback are smoke tests, not results: result.json records NewActionsApi.Fallbacks.

/// <summary>The library calls of the new-actions experiment, in one place so the switch to the real API is one file.</summary>
internal static class NewActionsApi
{
    /// <summary>Which fallbacks are active (recorded in every result.json; empty once the lead has switched).</summary>
    // LEAD: set to [] when every member below calls the library.
    public static IReadOnlyList<string> Fallbacks { get; } =
    [
        "utility policy = Relations.UtilityPolicy via WithActionRelations",
        "ActionSubsampling, NearestActionProjection, NearestActionAgent = private stand-ins",
        "hvae/vae = mean displacement of the observations (no learning)",
        "ActionSplit.Random, SkillGrid.ActionObservations/Displacement, ItemCatalog.Features = local equivalents",
    ];

    /// <summary>Per-episode subsampling of m actions of <paramref name="pool"/> (seed 003 ch. 2).</summary>
    // LEAD: switch to `new ActionSubsampling(env, pool, actionsPerEpisode)`.
    public static IEnvironment Subsample(IEnvironment env, IReadOnlyList<int> pool, int actionsPerEpisode) =>
        new FallbackSubsampling(env, pool, actionsPerEpisode);

    /// <summary>The continuous-output baseline's environment: a Box over representation space, executing the nearest available action.</summary>
    // LEAD: switch to `new NearestActionProjection(env)`.
    public static IEnvironment ProjectToNearest(IEnvironment env) => new FallbackNearestProjection(env);

    /// <summary>The nearest-neighbour baseline's agent: the discrete policy picks among <paramref name="sourceActions"/>, the nearest available action is executed.</summary>
    // LEAD: switch to `new NearestActionAgent(inner, sourceActions, representations, representationSize)`.
    public static IActionSetAgent NearestAction(IActionSetAgent inner, IReadOnlyList<int> sourceActions, ReadOnlySpan<float> representations, int representationSize) =>
        new FallbackNearestAgent(inner, sourceActions, representations, representationSize);

    /// <summary>PPO with the utility policy (eq. 2.3).</summary>
    // LEAD: switch to `estimator.WithUtilityPolicy()` (UtilityPolicyHead). Relations.UtilityPolicy scores
    // [state code ‖ representation] with the same family of network (no relations, no summary).
    public static PpoEstimator WithUtilityPolicy(PpoEstimator estimator) => estimator.WithActionRelations(Relations.UtilityPolicy);

    /// <summary>The 2:1:1 train/validation/test split of <paramref name="count"/> actions.</summary>
    // LEAD: switch to `ActionSplit.Random(count, seed, 2, 1, 1)` (RLKit.Spaces); the local version shuffles the same
    // way as SkillGrid.SplitSkills, which the contract says ActionSplit reproduces bit for bit.
    public static (int[] Train, int[] Validation, int[] Test) Split(int count, ulong seed)
    {
        var ids = Enumerable.Range(0, count).ToArray();
        new RandomGenerator(seed).Shuffle(ids.AsSpan());
        int train = count / 2, validation = count / 4;
        int[] Part(int start, int length) { var p = ids.AsSpan(start, length).ToArray(); Array.Sort(p); return p; }
        return (Part(0, train), Part(train, validation), Part(train + validation, count - train - validation));
    }

    /// <summary>The skill grid's action observations: trajectories of every skill on an empty 80 × 80 grid.</summary>
    // LEAD: switch to `SkillGrid.ActionObservations(trajectoriesPerSkill, seed)` once it returns an ActionObservationSet.
    public static ActionObservationSet SkillObservations(int trajectoriesPerSkill, ulong seed)
    {
        var tensor = SkillGrid.ActionObservations(trajectoriesPerSkill, seed);
        var counts = Enumerable.Repeat(trajectoriesPerSkill, SkillGrid.SkillCount).ToArray();
        return new ActionObservationSet(counts, tensor.Dim(2), tensor.Dim(3), tensor.AsReadOnlySpan());
    }

    /// <summary>The net displacement (dx, dy) of a skill on an open grid (x right, y down).</summary>
    // LEAD: switch to `SkillGrid.Displacement(skill)`.
    public static (int Dx, int Dy) Displacement(int skill)
    {
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
    public static ActionObservationSet ItemFeatures(ItemCatalog catalog) =>
        ActionObservationSet.FromVectors(catalog.Representations, catalog.RepresentationSize);
}

/// <summary>The encoder registry's shape (RLKit.Algorithms.ActionRepresentations.ActionEncoders, not on this branch yet).</summary>
// LEAD: delete this class (and FallbackEncoder): the library's ActionEncoders.Create(name, steps, features, options, rng)
// has the same signature, and RLKit.Experiments' files already import RLKit.Algorithms.ActionRepresentations.
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
