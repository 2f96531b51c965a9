using RLKit.Algorithms.Sac;
using RLKit.Data;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Snippets.Readme;

internal static class ResumingOffPolicy
{
    public static void Run()
    {
        var options = new SacOptions { Seed = 1, LearningStarts = 500, BatchSize = 64, HiddenSizes = [64, 64] };   // small: a snippet run
        using var envs = Given.PendulumEnvironments();
        // begin snippet
        var agent = new SacEstimator(options).Fit(envs, Budget.Steps(50_000));
        Checkpoint.Save(agent, "sac.rlkit");                      // weights, optimizers, training state
        agent.ReplayBuffer!.Save("sac.replay");                   // the transitions (safetensors, atomic)

        // Later, or in another process:
        var loaded = (SacAgent)Checkpoint.LoadAgent("sac.rlkit");
        loaded.ReplayBuffer = ReplayBuffer.Load("sac.replay");
        var more = new SacEstimator(options).Fit(envs, Budget.Steps(50_000), initialAgent: loaded);   // steps 50 000 to 100 000
        // end snippet
        Given.Check(more.ReplayBuffer!.Count == 2 * Budget.MaxSteps, "the resumed run adds its steps to the loaded buffer");
    }
}
