using BenchmarkDotNet.Attributes;
using RLKit.Algorithms.Distral;
using RLKit.Environments.Wrappers;
using RLKit.Envs.Grid;
using RLKit.Tensors;

namespace RLKit.Benchmarks;

/// <summary>
/// One Distral soft-Q update over the five grids 4–8 with the thesis's settings (2-col, α 0.8, β 5, 1-step, batch 128
/// per task, 3→64→128→64→4 LeakyReLU networks, Adam): per task, sample 128 transitions, compute the regularised
/// soft-value targets, regress f_i and step its Adam; then π0's maximum-likelihood step on 128 recent actions per task.
/// It calls the training code's own <see cref="DistralSoftQ.Learner.Update"/>, with buffers pre-filled by 2,000
/// random-policy steps per grid, so it cannot drift from <see cref="DistralEstimator"/>.
/// </summary>
[MemoryDiagnoser]
public class DistralStepBenchmarks
{
    private DistralSoftQ.Learner _learner = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = DistralOptions.ThesisSql with { Seed = 1 };
        var rng = new RandomGenerator(1);
        const int tasks = 5;
        var model = new DistralModel(observationSize: 3, actionCount: 4, tasks, options, rng);
        _learner = new DistralSoftQ.Learner(model, environmentsPerTask: 1, rng);
        var observation = new float[3];
        for (int task = 0; task < tasks; task++)
        {
            using var env = new TimeLimit(new DistralGrid(DistralGrid.FirstLayout + task), 100);
            env.Reset(seed: 1).Observation.CopyTo(observation);
            for (int t = 0; t < 2_000; t++)
            {
                int action = rng.NextInt(4);
                _learner.Replays[task].AddObservations(observation);
                _learner.Recent[task].Add(observation, action, 1f);
                var step = env.Step(action);
                bool terminated = step.Terminated, truncated = step.Truncated;
                _learner.Replays[task].CompleteStep([action], [(float)step.Reward], step.Observation, [terminated], [truncated]);
                if (terminated || truncated) env.Reset().Observation.CopyTo(observation);
                else step.Observation.CopyTo(observation);
            }
        }
    }

    /// <summary>Five soft-Q regressions (one per task) and π0's step: the learning half of one vector step of Alg. 1.</summary>
    [Benchmark]
    public double SoftQUpdateFiveTasks() => _learner.Update(static () => false)!.Value.TaskLoss;
}
