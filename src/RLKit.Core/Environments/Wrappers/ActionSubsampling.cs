using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Environments.Wrappers;

/// <summary>
/// Per-episode action-set subsampling (seed 003 ch. 2): after every reset of the inner environment, exactly
/// min(<see cref="ActionsPerEpisode"/>, pool size) actions of <see cref="Pool"/> are available and no others, whatever
/// the inner environment marked. Training on a fresh random subset each episode keeps a policy from overfitting to
/// one fixed set; wrapping with the validation or test actions as the pool evaluates on actions never trained with.
/// </summary>
/// <remarks>
/// <para>The availability is written into the inner environment's own <see cref="ActionSet"/> (the action space is
/// forwarded unchanged), so the inner Step accepts exactly the drawn actions, and a vector environment, which resets
/// its sub-environments itself on autoreset and reads their masks, sees the subsample too.</para>
/// <para>The actions are drawn without replacement (a partial Fisher–Yates shuffle of the pool, pool order first) from
/// the wrapper's own random stream, so the draw does not disturb the inner environment's stream. <c>Reset(seed)</c>
/// restarts that stream from the seed mixed with a constant (a stream distinct from the inner environment's, which
/// restarts from the seed itself); an unseeded first reset seeds it from the clock, as environments do.</para>
/// <para>Availability is set only at reset: an inner environment that rewrites it during an episode overrides the
/// subsample from then on. A reset allocates nothing.</para>
/// </remarks>
public sealed class ActionSubsampling : Wrapper
{
    /// <summary>Mixed into a reset seed so the wrapper's stream differs from the inner environment's (seeded by the seed itself).</summary>
    private const ulong SeedMix = 0xA5F1_52C3_9D0E_6B47UL;

    private readonly ActionSet _actions;
    private readonly int[] _pool;
    private readonly int[] _scratch;
    private RandomGenerator? _random;

    /// <summary>Wraps <paramref name="env"/> (its action space must be an ActionSet).</summary>
    /// <param name="env">The environment; its action space must be an <see cref="ActionSet"/>.</param>
    /// <param name="pool">The action ids episodes draw from: at least one, each in [0, universe size), all distinct. Copied.</param>
    /// <param name="actionsPerEpisode">How many actions each episode makes available (≥ 1); the whole pool when it is larger than the pool.</param>
    /// <exception cref="ArgumentException">If the action space is not an ActionSet, the pool is empty, or it repeats an id.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a pool id is outside the universe or <paramref name="actionsPerEpisode"/> is less than 1.</exception>
    public ActionSubsampling(IEnvironment env, IReadOnlyList<int> pool, int actionsPerEpisode) : base(env)
    {
        _actions = env.ActionSpace as ActionSet
            ?? throw new ArgumentException(
                $"ActionSubsampling: {env.Id} has action space {env.ActionSpace.Description}; an ActionSet is needed (other spaces have no availability to subsample).",
                nameof(env));
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Count == 0)
            throw new ArgumentException($"ActionSubsampling: the pool is empty; it needs at least one action id in [0, {_actions.Count - 1}].", nameof(pool));
        if (actionsPerEpisode < 1)
            throw new ArgumentOutOfRangeException(nameof(actionsPerEpisode), actionsPerEpisode, "ActionSubsampling: actionsPerEpisode must be at least 1.");
        _pool = new int[pool.Count];
        var seen = new bool[_actions.Count];
        for (int i = 0; i < _pool.Length; i++)
        {
            int id = pool[i];
            if ((uint)id >= (uint)_actions.Count)
                throw new ArgumentOutOfRangeException(nameof(pool), id, $"ActionSubsampling: pool[{i}] = {id} is outside the action universe [0, {_actions.Count - 1}] of {env.Id}.");
            if (seen[id])
                throw new ArgumentException($"ActionSubsampling: pool[{i}] = {id} appears twice; the pool's ids must be distinct.", nameof(pool));
            seen[id] = true;
            _pool[i] = id;
        }
        Pool = Array.AsReadOnly(_pool);
        ActionsPerEpisode = actionsPerEpisode;
        _scratch = new int[_pool.Length];
    }

    /// <summary>The actions episodes draw from.</summary>
    public IReadOnlyList<int> Pool { get; }

    /// <summary>Actions made available per episode.</summary>
    public int ActionsPerEpisode { get; }

    /// <summary>The number of actions each episode actually offers: min(<see cref="ActionsPerEpisode"/>, pool size).</summary>
    public int AvailablePerEpisode => Math.Min(ActionsPerEpisode, _pool.Length);

    /// <summary>Resets the inner environment, then makes a fresh random subset of the pool available.</summary>
    public override ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        var result = Inner.Reset(seed, options);
        if (seed is { } s) _random = new RandomGenerator(s ^ SeedMix);
        _random ??= new RandomGenerator((ulong)Environment.TickCount64 ^ (ulong)Guid.NewGuid().GetHashCode());
        Draw(_random);
        return result;
    }

    private void Draw(RandomGenerator random)
    {
        var available = _actions.Available;
        available.Clear();
        _pool.CopyTo(_scratch, 0);
        int m = AvailablePerEpisode;
        for (int i = 0; i < m; i++)
        {
            int j = i + random.NextInt(_scratch.Length - i);
            (_scratch[i], _scratch[j]) = (_scratch[j], _scratch[i]);
            available[_scratch[i]] = true;
        }
    }
}
