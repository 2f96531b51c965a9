using System.Globalization;
using System.Text;
using RLKit.Algorithms.Savo;
using RLKit.Environments;
using RLKit.Environments.Wrappers;
using RLKit.Envs.Classic;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Experiments;

/// <summary>
/// Looking into the Q-landscape (seed 003 Fig. 4.9, §4.6.2) of a saved SAVO model on a one-dimensional action task:
/// the model acts greedily for one episode; at every visited state Q(s, ·) and the learned surrogates Ψ̂_i(s, ·; a_&lt;i)
/// are sampled over the action range with the actors' proposals a_0 … a_{k−1}. The figure shows the state where the
/// later actors gain most over a_0 (the single actor's local optimum), with the valid-action intervals shaded; the
/// summary counts, over all visited states, how often the maximizer picks a later actor and, at the states where a_0 is
/// stuck (the grid's best Q exceeds Q(a_0) by more than 5% of the state's Q range), how often Q(a_1) &gt; Q(a_0).
/// </summary>
internal static class SavoLandscape
{
    private const int GridPoints = 201;
    private const double StuckMargin = 0.05;
    private const ulong RolloutSeed = 3_000_000;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>What the landscape analysis found over one episode's states.</summary>
    internal sealed record Summary(int States, int LaterActorChosen, double MeanGain, int Stuck, int StuckImprovedByA1, int StuckImprovedByAny)
    {
        public string Text => string.Create(Invariant,
            $"{States} states of one greedy episode: the maximizer picks a later actor (a_1…) at {LaterActorChosen} ({LaterActorChosen * 100.0 / Math.Max(1, States):0}%), mean gain max_i Q(a_i) − Q(a_0) = {MeanGain:0.###}; a_0 stuck (grid max Q − Q(a_0) > {StuckMargin:0%} of the Q range) at {Stuck} states, of which Q(a_1) > Q(a_0) at {StuckImprovedByA1} and max_{{i≥1}} Q(a_i) > Q(a_0) at {StuckImprovedByAny}");
    }

    /// <summary>
    /// Renders the landscape of the model in <paramref name="runDirectory"/>: (svg, csv of the chosen state, summary).
    /// </summary>
    /// <exception cref="InvalidDataException">If the model cannot be read.</exception>
    /// <exception cref="ArgumentException">If the model's action is not one-dimensional.</exception>
    public static (string Svg, string Csv, Summary Summary) Render(SavoEnvironment env, string runDirectory, string label)
    {
        var agent = SavoAgent.FromCheckpoint(Checkpoint.Load(Path.Combine(runDirectory, SavoReport.ModelFile)));
        var environment = env.Factory()();
        var restricted = (environment is Wrapper wrapper ? wrapper.Unwrapped : environment) as IRestrictedActionEnvironment;

        var states = new List<float[]>();
        var observation = Tensor.Zeros(1, environment.ObservationSpace.FlatSize);
        var action = new float[1];
        var reset = environment.Reset(RolloutSeed);
        reset.Observation.CopyTo(observation.AsSpan());
        while (true)
        {
            states.Add(observation.ToArray());
            using (TensorScope.Begin()) agent.Act(observation, action, deterministic: true);
            var step = environment.Step(action);
            if (step.Done) break;
            step.Observation.CopyTo(observation.AsSpan());
        }

        QLandscape? best = null;
        float[]? bestState = null;
        double bestGain = double.NegativeInfinity, gainSum = 0;
        int later = 0, stuck = 0, improvedByA1 = 0, improvedByAny = 0;
        foreach (var state in states)
        {
            var landscape = agent.QLandscape(state, GridPoints);
            var values = landscape.ProposalValues;
            double laterBest = values.Skip(1).DefaultIfEmpty(float.NegativeInfinity).Max();
            double gain = Math.Max(0, laterBest - values[0]);
            gainSum += gain;
            if (landscape.MaximizerChoice > 0) later++;
            double qMax = landscape.Q.Max(), qMin = landscape.Q.Min();
            if (qMax - values[0] > StuckMargin * Math.Max(1e-9, qMax - qMin))
            {
                stuck++;
                if (values.Count > 1 && values[1] > values[0]) improvedByA1++;
                if (laterBest > values[0]) improvedByAny++;
            }
            if (gain > bestGain)
            {
                (bestGain, best, bestState) = (gain, landscape, state);
            }
        }
        var summary = new Summary(states.Count, later, gainSum / states.Count, stuck, improvedByA1, improvedByAny);
        return (Chart(env, best!, bestState!, restricted, label), Csv(best!, restricted), summary);
    }

    private static string Chart(SavoEnvironment env, QLandscape landscape, float[] state, IRestrictedActionEnvironment? restricted, string label)
    {
        double[] actions = landscape.Actions.Select(a => (double)a).ToArray();
        var series = new List<SavoSeries> { new("Q(s, a)", actions, landscape.Q.Select(q => (double)q).ToArray()) };
        for (int i = 0; i < landscape.Surrogates.Count; i++)
            series.Add(new SavoSeries($"Ψ̂_{i + 1}(s, a; a_<{i + 1})", actions, landscape.Surrogates[i].Select(v => (double)v).ToArray(), Dashed: true));
        var markers = landscape.Proposals.Select((a, i) => new SavoMarker($"a_{i}", a, landscape.ProposalValues[i], i == landscape.MaximizerChoice)).ToList();
        var shaded = restricted is null ? null : ValidIntervals(landscape.Actions, restricted);
        string where = state.Length == 3
            ? string.Create(Invariant, $"θ = {Math.Atan2(state[1], state[0]):0.00} rad, θ̇ = {state[2]:0.00}")
            : "s = [" + string.Join(", ", state.Select(v => v.ToString("0.00", Invariant))) + "]";
        return SavoSvg.Chart(series, $"{env.Title}: Q-landscape at {where}", "Action", "Value", shaded, markers, width: 960, height: 500,
            subtitle: $"{label}; circles = the actors' proposals a_i on Q, gold = the maximizer's pick{(shaded is null ? "" : ", green = valid actions")}");
    }

    /// <summary>The valid stretches of the grid, each widened by half a grid step so single valid points show.</summary>
    private static List<(double From, double To)> ValidIntervals(IReadOnlyList<float> grid, IRestrictedActionEnvironment restricted)
    {
        var intervals = new List<(double, double)>();
        double half = (grid[^1] - grid[0]) / (grid.Count - 1) / 2;
        int start = -1;
        for (int p = 0; p <= grid.Count; p++)
        {
            bool valid = p < grid.Count && restricted.IsValidAction([grid[p]]);
            if (valid && start < 0) start = p;
            if (!valid && start >= 0)
            {
                intervals.Add((grid[start] - half, grid[p - 1] + half));
                start = -1;
            }
        }
        return intervals;
    }

    private static string Csv(QLandscape landscape, IRestrictedActionEnvironment? restricted)
    {
        var csv = new StringBuilder("action,q").Append(string.Concat(landscape.Surrogates.Select((_, i) => $",psi_hat_{i + 1}"))).Append(",valid\n");
        for (int p = 0; p < landscape.Actions.Count; p++)
        {
            csv.Append(string.Create(Invariant, $"{landscape.Actions[p]:R},{landscape.Q[p]:R}"));
            foreach (var surrogate in landscape.Surrogates) csv.Append(string.Create(Invariant, $",{surrogate[p]:R}"));
            csv.Append(restricted is null || restricted.IsValidAction([landscape.Actions[p]]) ? ",1\n" : ",0\n");
        }
        for (int i = 0; i < landscape.Proposals.Count; i++)
            csv.Append(string.Create(Invariant, $"# a_{i} = {landscape.Proposals[i]:R}, Q = {landscape.ProposalValues[i]:R}{(i == landscape.MaximizerChoice ? " (maximizer)" : "")}\n"));
        return csv.ToString();
    }
}
