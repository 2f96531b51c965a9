using System.Collections.ObjectModel;
using RLKit.Spaces;

namespace RLKit.Environments.Wrappers;

/// <summary>
/// Turns an environment over an <see cref="ActionSet"/> into one with a continuous action space: Box(low, high,
/// [RepresentationSize]) in representation space; each Step executes the available action whose representation is
/// nearest (Euclidean; lowest id on ties) to the given point (Dulac-Arnold et al. 2015; seed 003 ch. 2's
/// continuous-output baseline, ch. 4's 1-NN projection). The executed action id is reported in the step's info under
/// <see cref="InfoKey"/> ("action").
/// </summary>
/// <remarks>
/// <para>The Box bounds are each representation coordinate's min and max over the whole universe, read once at
/// construction and fixed from then on (a space must not change under an agent built for it). A coordinate on which
/// every action agrees gets low = high, which <see cref="Box"/> allows. The nearest action, in contrast, is found
/// with the representations and availability as they are at each step, so an encoder may overwrite
/// <see cref="ActionSet.Representations"/> after construction (the bounds then describe the old ones: wrap after
/// writing the representations to get matching bounds).</para>
/// <para>Points outside the bounds are accepted (they still have a nearest action), as policies with unbounded
/// Gaussian outputs produce them; non-finite points are rejected. The step's info is the inner info plus "action"
/// (which replaces an inner "action" entry); when the inner info is empty, a cached read-only info per action id is
/// returned, so steps allocate nothing.</para>
/// </remarks>
public sealed class NearestActionProjection : Wrapper
{
    /// <summary>The info key under which each step reports the executed action id (an <see cref="int"/>).</summary>
    public const string InfoKey = "action";

    private readonly ActionSet _actions;
    private readonly Box _space;
    private readonly IReadOnlyDictionary<string, object>?[] _actionInfos;

    /// <summary>Wraps <paramref name="env"/>; the Box bounds are each representation coordinate's min and max over the universe.</summary>
    /// <exception cref="ArgumentException">If the action space is not an ActionSet, its representations are empty (size 0), or one is not finite.</exception>
    public NearestActionProjection(IEnvironment env) : base(env)
    {
        _actions = env.ActionSpace as ActionSet
            ?? throw new ArgumentException(
                $"NearestActionProjection: {env.Id} has action space {env.ActionSpace.Description}; an ActionSet is needed (its representations define the continuous space).",
                nameof(env));
        int size = _actions.RepresentationSize;
        if (size < 1)
            throw new ArgumentException($"NearestActionProjection: {env.Id}'s actions have representations of size 0; there is no space to project from.", nameof(env));
        var low = new float[size];
        var high = new float[size];
        low.AsSpan().Fill(float.PositiveInfinity);
        high.AsSpan().Fill(float.NegativeInfinity);
        var representations = _actions.Representations;
        for (int a = 0; a < _actions.Count; a++)
            for (int k = 0; k < size; k++)
            {
                float v = representations[a * size + k];
                if (!float.IsFinite(v))
                    throw new ArgumentException($"NearestActionProjection: action {a} of {env.Id} has representation[{k}] = {v}; representations must be finite.", nameof(env));
                low[k] = Math.Min(low[k], v);
                high[k] = Math.Max(high[k], v);
            }
        _space = new Box(low, high, [size]);
        _actionInfos = new IReadOnlyDictionary<string, object>?[_actions.Count];
    }

    /// <summary>Box(low, high, [RepresentationSize]): a point in representation space.</summary>
    public override Space ActionSpace => _space;

    /// <summary>The inner environment's action set, whose representations and availability the projection reads.</summary>
    public ActionSet Actions => _actions;

    /// <summary>The id of the available action nearest to <paramref name="point"/> under the current availability.</summary>
    /// <exception cref="ArgumentException">If the point does not have RepresentationSize values or one is not finite.</exception>
    /// <exception cref="InvalidOperationException">If no action is available.</exception>
    public int Nearest(ReadOnlySpan<float> point)
    {
        CheckPoint(point, nameof(point));
        return NearestAvailable(point);
    }

    /// <summary>Executes the available action nearest to <paramref name="action"/>, a point in representation space.</summary>
    /// <exception cref="ArgumentException">If the point does not have RepresentationSize values or one is not finite.</exception>
    /// <exception cref="InvalidOperationException">If no action is available.</exception>
    public override StepResult Step(ReadOnlySpan<float> action)
    {
        CheckPoint(action, nameof(action));
        int id = NearestAvailable(action);
        var result = Inner.Step(id);
        return new StepResult(result.Observation, result.Reward, result.Terminated, result.Truncated, InfoWith(result.Info, id));
    }

    private int NearestAvailable(ReadOnlySpan<float> point)
    {
        int size = _actions.RepresentationSize;
        ReadOnlySpan<float> representations = _actions.Representations;
        ReadOnlySpan<bool> available = _actions.Available;
        int best = -1;
        float bestDistance = float.PositiveInfinity;
        for (int a = 0; a < available.Length; a++)
        {
            if (!available[a]) continue;
            float distance = TensorPrimitives.Distance(point, representations.Slice(a * size, size));
            // Strictly smaller: on a tie the lower id, met first, stays.
            if (best < 0 || distance < bestDistance)
            {
                best = a;
                bestDistance = distance;
            }
        }
        if (best < 0)
            throw new InvalidOperationException($"NearestActionProjection: {Id} has no available action to project onto ({_actions.Description}).");
        return best;
    }

    /// <summary>Not supported: the action space is continuous; pass a point to <see cref="Step(ReadOnlySpan{float})"/>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override StepResult Step(int action) => throw WrongOverload("an int action");

    /// <summary>Not supported: the action space is continuous; pass a point to <see cref="Step(ReadOnlySpan{float})"/>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override StepResult Step(ReadOnlySpan<int> action) => throw WrongOverload("an int-vector action");

    private void CheckPoint(ReadOnlySpan<float> point, string name)
    {
        if (point.Length != _actions.RepresentationSize)
            throw new ArgumentException($"NearestActionProjection: {Id} takes a point of {_actions.RepresentationSize} values (its action space is {_space.Description}), got {point.Length}.", name);
        for (int i = 0; i < point.Length; i++)
            if (!float.IsFinite(point[i]))
                throw new ArgumentException($"NearestActionProjection: {Id}: {name}[{i}] is {point[i]}; a point must be finite to have a nearest action.", name);
    }

    private IReadOnlyDictionary<string, object> InfoWith(IReadOnlyDictionary<string, object> inner, int id)
    {
        if (inner.Count == 0)
            return _actionInfos[id] ??= new ReadOnlyDictionary<string, object>(new Dictionary<string, object>(1, StringComparer.Ordinal) { [InfoKey] = id });
        var info = new Dictionary<string, object>(inner.Count + 1, StringComparer.Ordinal);
        foreach (var pair in inner) info[pair.Key] = pair.Value;
        info[InfoKey] = id;
        return info;
    }

    private NotSupportedException WrongOverload(string what) =>
        new($"NearestActionProjection: {Id}'s action space is {_space.Description}, a point in representation space, which does not take {what}. Use Step(ReadOnlySpan<float>) with {_actions.RepresentationSize} values; the nearest available action is executed.");
}
