using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Environments;

/// <summary>
/// A contract checker in the spirit of Gymnasium's <c>env_checker</c>: run it on a new environment in a test.
/// </summary>
/// <remarks>
/// Rules, each reported under its bracketed name:
/// <list type="bullet">
/// <item>[spaces] the id is set; both spaces exist and describe themselves; the observation space is a non-empty
/// Box; the action space is Discrete, Box, MultiDiscrete, ActionSet or ActionList.</item>
/// <item>[reset] Reset(seed) returns an observation of the right size that lies in the observation space, and an info.</item>
/// <item>[step] every step returns an observation of the right size in the space, a finite reward and an info.</item>
/// <item>[determinism] two runs from Reset(seed) with the same action sequence (episodes restarted by unseeded
/// resets) give bit-identical observations, rewards and flags.</item>
/// <item>[done] after terminated or truncated, Step throws <see cref="InvalidOperationException"/> and Reset starts a valid
/// episode. Checked when an episode ends within max(steps, 10 000) steps.</item>
/// <item>[actions] random actions are drawn from the action space. A MultiDiscrete space cannot express constraints
/// such as the distinct slots of a slate, so a sampled MultiDiscrete action the environment rejects with
/// <see cref="ArgumentException"/> is redrawn (up to 100 times); the environment must reject it before changing
/// state, which the determinism rule would otherwise expose.</item>
/// <item>[actions] an action outside the space (out-of-range id, NaN, wrong length; for an ActionList also a repeated
/// or unavailable id) and an action of the wrong kind throw.</item>
/// </list>
/// The environment is reset and stepped but not disposed.
/// </remarks>
public static class CheckEnv
{
    private const int DoneSearchSteps = 10_000;
    private const int MultiDiscreteAttempts = 100;

    /// <summary>Checks <paramref name="env"/> with random actions seeded by <paramref name="seed"/> over <paramref name="steps"/> steps.</summary>
    /// <exception cref="EnvironmentCheckException">Listing every rule the environment broke.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="steps"/> is less than 1.</exception>
    public static void Check(IEnvironment env, ulong seed = 0, int steps = 200)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "CheckEnv: steps must be at least 1.");
        var failures = new List<string>();
        string id = SafeId(env, failures);

        if (CheckSpaces(env, failures) is { } observationSpace)
        {
            var first = Record(env, observationSpace, seed, steps, failures, reportErrors: true);
            var second = Record(env, observationSpace, seed, steps, failures, reportErrors: false);
            if (first is not null && second is not null) CompareRuns(first, second, failures);
            else if (first is not null) failures.Add("[determinism] the second run from the same seed threw although the first did not.");
            CheckDoneRules(env, observationSpace, seed, Math.Max(steps, DoneSearchSteps), failures);
            CheckInvalidActions(env, seed, failures);
        }

        if (failures.Count > 0) throw new EnvironmentCheckException(id, failures);
    }

    private static string SafeId(IEnvironment env, List<string> failures)
    {
        string? id = null;
        try { id = env.Id; } catch (Exception e) { failures.Add($"[spaces] Id threw {e.GetType().Name}: {e.Message}"); }
        if (string.IsNullOrWhiteSpace(id))
        {
            failures.Add("[spaces] Id is empty.");
            return env.GetType().Name;
        }
        return id;
    }

    private static Box? CheckSpaces(IEnvironment env, List<string> failures)
    {
        Space? observation = env.ObservationSpace, action = env.ActionSpace;
        if (observation is null) failures.Add("[spaces] ObservationSpace is null.");
        else if (string.IsNullOrWhiteSpace(observation.Description)) failures.Add("[spaces] the observation space has an empty description.");
        if (action is null) failures.Add("[spaces] ActionSpace is null.");
        else
        {
            if (string.IsNullOrWhiteSpace(action.Description)) failures.Add("[spaces] the action space has an empty description.");
            if (action is not (Discrete or Box or MultiDiscrete or ActionSet or ActionList))
                failures.Add($"[spaces] the action space {action.GetType().Name} is not Discrete, Box, MultiDiscrete, ActionSet or ActionList.");
        }
        if (observation is not null and not Box) failures.Add($"[spaces] the observation space {observation.Description} is not a Box.");
        if (observation is Box { FlatSize: 0 }) failures.Add("[spaces] the observation space is empty (FlatSize 0).");
        return observation is Box { FlatSize: > 0 } box && action is (Discrete or Box or MultiDiscrete or ActionSet or ActionList) ? box : null;
    }

    /// <summary>One run: everything observed, flattened, so two runs compare element by element.</summary>
    private sealed class Run
    {
        public List<float> Observations { get; } = [];
        public List<double> Rewards { get; } = [];
        public List<(bool Terminated, bool Truncated)> Flags { get; } = [];
    }

    private static Run? Record(IEnvironment env, Box observationSpace, ulong seed, int steps, List<string> failures, bool reportErrors)
    {
        var run = new Run();
        var actionRng = new RandomGenerator(seed ^ 0x9E3779B97F4A7C15UL);
        var boxAction = env.ActionSpace is Box b ? new float[b.FlatSize] : [];
        var multiAction = env.ActionSpace is MultiDiscrete or ActionList ? new int[env.ActionSpace.FlatSize] : [];
        int step = 0;
        try
        {
            var reset = env.Reset(seed);
            if (reportErrors) CheckObservation(reset.Observation, observationSpace, "[reset] Reset(seed)", failures);
            if (reportErrors && reset.Info is null) failures.Add("[reset] Reset returned a null info.");
            run.Observations.AddRange(reset.Observation.ToArray());
            for (step = 0; step < steps; step++)
            {
                var result = TakeRandomStep(env, actionRng, boxAction, multiAction);
                if (reportErrors)
                {
                    if (!CheckObservation(result.Observation, observationSpace, $"[step] step {step}", failures)) reportErrors = false;
                    if (!double.IsFinite(result.Reward)) { failures.Add($"[step] step {step} returned a non-finite reward ({result.Reward})."); reportErrors = false; }
                    if (result.Info is null) { failures.Add($"[step] step {step} returned a null info."); reportErrors = false; }
                }
                run.Observations.AddRange(result.Observation.ToArray());
                run.Rewards.Add(result.Reward);
                run.Flags.Add((result.Terminated, result.Truncated));
                if (result.Done)
                {
                    var next = env.Reset();
                    if (reportErrors && !CheckObservation(next.Observation, observationSpace, $"[reset] Reset after the episode ended at step {step}", failures)) reportErrors = false;
                    run.Observations.AddRange(next.Observation.ToArray());
                }
            }
            return run;
        }
        catch (Exception e)
        {
            if (reportErrors) failures.Add($"[step] a seeded run with random actions threw at step {step}: {e.GetType().Name}: {e.Message}");
            return null;
        }
    }

    private static StepResult TakeRandomStep(IEnvironment env, RandomGenerator rng, float[] boxAction, int[] multiAction)
    {
        switch (env.ActionSpace)
        {
            case Discrete d:
                return env.Step(d.Sample(rng));
            case ActionSet set:
                return env.Step(set.Sample(rng));
            case ActionList list:
                list.Sample(rng, multiAction);
                return env.Step(multiAction);
            case Box box:
                box.Sample(rng, boxAction);
                return env.Step(boxAction);
            case MultiDiscrete md:
                for (int attempt = 1; ; attempt++)
                {
                    md.Sample(rng, multiAction);
                    try
                    {
                        return env.Step(multiAction);
                    }
                    catch (ArgumentException) when (attempt < MultiDiscreteAttempts)
                    {
                        // A constrained action (e.g. a slate of distinct slots) that the space cannot express: resample.
                    }
                }
            default:
                throw new NotSupportedException($"unsupported action space {env.ActionSpace.Description}");
        }
    }

    private static bool CheckObservation(ReadOnlySpan<float> observation, Box space, string where, List<string> failures)
    {
        if (observation.Length != space.FlatSize)
        {
            failures.Add($"{where} returned {observation.Length} observation values; {space.Description} has {space.FlatSize}.");
            return false;
        }
        if (space.Contains(observation)) return true;
        var low = space.Low;
        var high = space.High;
        for (int i = 0; i < observation.Length; i++)
            if (!(observation[i] >= low[i] && observation[i] <= high[i]))
            {
                failures.Add($"{where} returned an observation outside {space.Description}: element {i} is {observation[i]} (bounds [{low[i]}, {high[i]}]).");
                break;
            }
        return false;
    }

    private static void CompareRuns(Run a, Run b, List<string> failures)
    {
        if (a.Observations.Count != b.Observations.Count)
        {
            failures.Add($"[determinism] two runs from the same seed produced {a.Observations.Count} and {b.Observations.Count} observation values.");
            return;
        }
        for (int i = 0; i < a.Observations.Count; i++)
            if (BitConverter.SingleToInt32Bits(a.Observations[i]) != BitConverter.SingleToInt32Bits(b.Observations[i]))
            {
                failures.Add($"[determinism] two runs from the same seed and actions differ at observation value {i}: {a.Observations[i]} vs {b.Observations[i]}.");
                break;
            }
        for (int i = 0; i < a.Rewards.Count; i++)
            if (BitConverter.DoubleToInt64Bits(a.Rewards[i]) != BitConverter.DoubleToInt64Bits(b.Rewards[i]))
            {
                failures.Add($"[determinism] two runs from the same seed and actions differ in the reward of step {i}: {a.Rewards[i]} vs {b.Rewards[i]}.");
                break;
            }
        for (int i = 0; i < a.Flags.Count; i++)
            if (a.Flags[i] != b.Flags[i])
            {
                failures.Add($"[determinism] two runs from the same seed and actions differ in (terminated, truncated) at step {i}: {a.Flags[i]} vs {b.Flags[i]}.");
                break;
            }
    }

    private static void CheckDoneRules(IEnvironment env, Box observationSpace, ulong seed, int maxSteps, List<string> failures)
    {
        var rng = new RandomGenerator(seed + 1);
        var boxAction = env.ActionSpace is Box b ? new float[b.FlatSize] : [];
        var multiAction = env.ActionSpace is MultiDiscrete or ActionList ? new int[env.ActionSpace.FlatSize] : [];
        try
        {
            env.Reset(seed);
            bool done = false;
            for (int step = 0; step < maxSteps && !done; step++)
            {
                var result = TakeRandomStep(env, rng, boxAction, multiAction);
                done = result.Done;
            }
            if (!done) return;
        }
        catch (Exception)
        {
            return; // already reported by the recorded runs
        }

        try
        {
            TakeRandomStep(env, rng, boxAction, multiAction);
            failures.Add("[done] Step after the episode ended did not throw; it must throw InvalidOperationException until Reset.");
        }
        catch (InvalidOperationException) { }
        catch (Exception e)
        {
            failures.Add($"[done] Step after the episode ended threw {e.GetType().Name} instead of InvalidOperationException: {e.Message}");
        }

        try
        {
            var reset = env.Reset();
            CheckObservation(reset.Observation, observationSpace, "[done] Reset after a finished episode", failures);
            TakeRandomStep(env, rng, boxAction, multiAction);
        }
        catch (Exception e)
        {
            failures.Add($"[done] Reset and Step after a finished episode threw {e.GetType().Name}: {e.Message}");
        }
    }

    private static void CheckInvalidActions(IEnvironment env, ulong seed, List<string> failures)
    {
        try
        {
            env.Reset(seed);
        }
        catch (Exception)
        {
            return;
        }
        switch (env.ActionSpace)
        {
            case Discrete d:
                ExpectThrows(env, () => env.Step(d.Start + d.N), $"Step({d.Start + d.N}) outside {d.Description}", failures);
                ExpectThrows(env, () => env.Step(new float[1]), "a float-vector action for a Discrete space", failures);
                break;
            case ActionSet set:
                ExpectThrows(env, () => env.Step(set.Count), $"Step({set.Count}) outside the action set's ids", failures);
                ExpectThrows(env, () => env.Step(-1), "Step(-1) on an action set", failures);
                break;
            case Box box:
                var nan = new float[box.FlatSize];
                nan.AsSpan().Fill(float.NaN);
                ExpectThrows(env, () => env.Step(nan), "a NaN action", failures);
                ExpectThrows(env, () => env.Step(new float[box.FlatSize + 1]), $"an action of {box.FlatSize + 1} values for {box.Description}", failures);
                ExpectThrows(env, () => env.Step(0), "an int action for a Box space", failures);
                break;
            case ActionList list:
                CheckInvalidListActions(env, list, failures);
                break;
            case MultiDiscrete md:
                var outside = md.Nvec.ToArray();
                ExpectThrows(env, () => env.Step(outside), $"the action [{string.Join(", ", outside)}] outside {md.Description}", failures);
                ExpectThrows(env, () => env.Step(0), "an int action for a MultiDiscrete space", failures);
                break;
        }
    }

    private static void CheckInvalidListActions(IEnvironment env, ActionList list, List<string> failures)
    {
        var rng = new RandomGenerator(0x5EEDUL);
        var valid = new int[list.Length];
        try
        {
            list.Sample(rng, valid);
        }
        catch (InvalidOperationException e)
        {
            failures.Add($"[actions] after Reset fewer than {list.Length} actions are available, so no list can be taken: {e.Message}");
            return;
        }
        var outside = (int[])valid.Clone();
        outside[0] = list.Items.Count;
        ExpectThrows(env, () => env.Step(outside), $"the list [{string.Join(", ", outside)}] with an id outside {list.Description}", failures);
        ExpectThrows(env, () => env.Step(valid.AsSpan(1).ToArray()), $"a list of {list.Length - 1} ids for {list.Description}", failures);
        if (list.Length > 1)
        {
            var repeated = (int[])valid.Clone();
            repeated[1] = repeated[0];
            ExpectThrows(env, () => env.Step(repeated), $"the list [{string.Join(", ", repeated)}] with a repeated id", failures);
        }
        // Availability is read again: a rejected action must not have changed it, and ExpectThrows may have reset.
        int unavailable = list.Items.Available.IndexOf(false);
        if (unavailable >= 0)
        {
            list.Sample(rng, valid);
            valid[0] = unavailable;
            ExpectThrows(env, () => env.Step(valid), $"the list [{string.Join(", ", valid)}] with the unavailable id {unavailable}", failures);
        }
        ExpectThrows(env, () => env.Step(valid[0]), "an int action for an ActionList space", failures);
    }

    private static void ExpectThrows(IEnvironment env, Action step, string what, List<string> failures)
    {
        try
        {
            step();
            failures.Add($"[actions] {what} did not throw.");
            env.Reset();
        }
        catch (Exception) { }
    }
}
