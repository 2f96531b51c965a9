using RLKit.Spaces;

namespace RLKit.Environments.Wrappers;

/// <summary>
/// CONTRACT STUB (issue 13): helper "data" implements it. After every reset, makes exactly
/// min(<c>actionsPerEpisode</c>, pool size) actions of <c>pool</c> available (drawn without replacement from the
/// wrapper's own stream seeded by the reset seed), whatever the inner environment marked: seed 003 ch. 2's
/// per-episode action-set subsampling, and the way to evaluate on validation or test actions.
/// </summary>
public sealed class ActionSubsampling : Wrapper
{
    /// <summary>Wraps <paramref name="env"/> (its action space must be an ActionSet).</summary>
    public ActionSubsampling(IEnvironment env, IReadOnlyList<int> pool, int actionsPerEpisode) : base(env) => throw new NotImplementedException();

    /// <summary>The actions episodes draw from.</summary>
    public IReadOnlyList<int> Pool => throw new NotImplementedException();

    /// <summary>Actions made available per episode.</summary>
    public int ActionsPerEpisode => throw new NotImplementedException();
}
