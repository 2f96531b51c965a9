using RLKit.Environments;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Experiments;

/// <summary>
/// One evaluation: the score (skill grid: the share of episodes that reached the goal; recommender: the mean return),
/// the mean return, and the mean reward per step (the recommender's click-through rate).
/// </summary>
internal sealed record NewActionsScore(double Score, double MeanReturn, double RewardPerStep, int Episodes);

/// <summary>
/// Runs an agent greedily for <c>episodes</c> whole episodes on copies of an environment whose available actions are
/// drawn per episode from one pool (train, validation or test actions), in lock step: one batched forward pass per
/// step over the copies still running. Episode i always starts from reset seed <c>seed + i</c>, so every evaluation
/// of a run sees the same layouts, users and offered action sets. Success (skill grid) = the episode terminated with a
/// positive last reward: the grid terminates only at the goal (reward ≥ 0.1) or in lava (reward 0). Acts through
/// <see cref="IActionSetAgent"/> (the copies' availability) on an ActionSet, through the continuous Act on a Box (the
/// continuous-output baseline's projection).
/// </summary>
internal sealed class NewActionsEvaluator
{
    private readonly IEnvironment[] _copies;
    private readonly int _episodes;
    private readonly ulong _seed;
    private readonly bool _success;

    /// <summary>Makes min(<paramref name="episodes"/>, <paramref name="copies"/>) copies with <paramref name="make"/>.</summary>
    public NewActionsEvaluator(Func<IEnvironment> make, int episodes, int copies, ulong seed, bool success)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(episodes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        _copies = Enumerable.Range(0, Math.Min(episodes, copies)).Select(_ => make()).ToArray();
        _episodes = episodes;
        _seed = seed;
        _success = success;
    }

    /// <summary>Runs the episodes.</summary>
    /// <exception cref="ArgumentException">If the agent cannot act on the copies' action space.</exception>
    public NewActionsScore Evaluate(IAgent agent)
    {
        int count = _copies.Length;
        var first = _copies[0];
        int observationSize = first.ObservationSpace.FlatSize;
        var set = first.ActionSpace as ActionSet;
        var setAgent = agent as IActionSetAgent;
        if (set is not null && setAgent is null)
            throw new ArgumentException($"new-actions: the agent ({agent.GetType().Name}) must implement IActionSetAgent to act on an ActionSet.", nameof(agent));
        int universe = set?.Count ?? 0, width = set is null ? first.ActionSpace.FlatSize : 1;

        var observations = new float[count][];
        var episodeOf = new int[count];
        var returns = new double[count];
        var lengths = new int[count];
        int next = 0, finished = 0, successes = 0;
        double totalReturn = 0;
        long totalSteps = 0;
        for (int i = 0; i < count; i++) Start(i);

        void Start(int i)
        {
            episodeOf[i] = next;
            returns[i] = 0;
            lengths[i] = 0;
            observations[i] = _copies[i].Reset(_seed + (ulong)next).Observation.ToArray();
            next++;
        }

        var rows = new List<int>(count);
        var availability = new bool[count * Math.Max(universe, 1)];
        var discrete = new int[count];
        var continuous = new float[count * width];
        var running = new bool[count];
        Array.Fill(running, true);
        while (true)
        {
            rows.Clear();
            for (int i = 0; i < count; i++) if (running[i]) rows.Add(i);
            if (rows.Count == 0) break;
            var batch = Tensor.Zeros(rows.Count, observationSize);
            var data = batch.AsSpan();
            for (int r = 0; r < rows.Count; r++)
            {
                observations[rows[r]].CopyTo(data.Slice(r * observationSize, observationSize));
                if (set is not null) ((ActionSet)_copies[rows[r]].ActionSpace).Available.CopyTo(availability.AsSpan(r * universe, universe));
            }
            using (TensorScope.Begin())
            {
                if (set is not null) setAgent!.Act(batch, availability.AsSpan(0, rows.Count * universe), discrete.AsSpan(0, rows.Count), deterministic: true);
                else agent.Act(batch, continuous.AsSpan(0, rows.Count * width), deterministic: true);
            }
            for (int r = 0; r < rows.Count; r++)
            {
                int i = rows[r];
                var copy = _copies[i];
                var step = set is not null ? copy.Step(discrete[r]) : copy.Step((ReadOnlySpan<float>)continuous.AsSpan(r * width, width));
                returns[i] += step.Reward;
                lengths[i]++;
                if (!step.Done)
                {
                    step.Observation.CopyTo(observations[i]);
                    continue;
                }
                if (step.Terminated && step.Reward > 0) successes++;
                totalReturn += returns[i];
                totalSteps += lengths[i];
                finished++;
                if (next < _episodes) Start(i);
                else running[i] = false;
            }
        }

        double meanReturn = totalReturn / finished;
        return new NewActionsScore(_success ? successes / (double)finished : meanReturn, meanReturn, totalReturn / Math.Max(1, totalSteps), finished);
    }
}
