using System.Globalization;
using RLKit.Environments;
using RLKit.Spaces;
using RLKit.Training;
using RLKit.Training.Metrics;

namespace RLKit.Cli.Commands;

/// <summary>
/// <c>rlkit evaluate --render svg</c>: one greedy episode drawn as a chart of every observation component, the action and
/// the reward against the step, with the library's SVG chart writer. Works for any environment with Discrete or Box
/// actions, whatever it looks like, which a picture of the scene could not.
/// </summary>
internal static class EpisodeTraceSvg
{
    /// <summary>Runs one greedy episode from <paramref name="seed"/> and writes its chart to <paramref name="path"/> (atomically).</summary>
    /// <returns>The episode's return and length.</returns>
    /// <exception cref="NotSupportedException">If the action space is neither Discrete nor Box.</exception>
    public static (double Return, int Length) Write(IAgent agent, IEnvironment environment, ulong seed, string path, CancellationToken cancellationToken)
    {
        if (agent.ActionSpace is not (Discrete or Box))
            throw new NotSupportedException($"--render svg draws Discrete or Box actions; this agent acts in {agent.ActionSpace}.");
        int observationSize = environment.ObservationSpace.FlatSize;
        var series = new Dictionary<string, List<CurvePoint>>();
        void Add(string name, long step, double value)
        {
            if (!series.TryGetValue(name, out var points)) series[name] = points = [];
            points.Add(new CurvePoint(step, value));
        }

        var observation = environment.Reset(seed).Observation.ToArray();
        var continuous = agent.ActionSpace is Box box ? new float[box.FlatSize] : null;
        double episodeReturn = 0;
        for (int step = 0; ; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int i = 0; i < observationSize; i++) Add(observationSize == 1 ? "observation" : $"observation[{i}]", step, observation[i]);
            StepResult result;
            if (continuous is null)
            {
                int action = agent.Predict(observation);
                Add("action", step, action);
                result = environment.Step(action);
            }
            else
            {
                agent.Predict(observation, continuous);
                for (int j = 0; j < continuous.Length; j++) Add(continuous.Length == 1 ? "action" : $"action[{j}]", step, continuous[j]);
                result = environment.Step(continuous);
            }
            Add("reward", step, result.Reward);
            episodeReturn += result.Reward;
            if (result.Done)
            {
                string title = string.Create(CultureInfo.InvariantCulture,
                    $"{agent.Algorithm} on {environment.Id}: greedy episode, return {episodeReturn:0.##} in {step + 1} steps");
                LearningCurveSvg.Write(path, series.Select(s => new LearningCurve(s.Key, [s.Value])).ToArray(),
                                       new LearningCurveSvgOptions { Title = title, XAxisLabel = "Step", YAxisLabel = "Value" });
                return (episodeReturn, step + 1);
            }
            observation = result.Observation.ToArray();
        }
    }
}
