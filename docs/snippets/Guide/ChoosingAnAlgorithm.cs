using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Sac;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Training;

namespace RLKit.Snippets.Guide;

internal static class ChoosingAnAlgorithm
{
    public static void Run()
    {
        // begin snippet
        var rl = RLKitEnvs.CreateContext(seed: 1);

        using var cartPoles = rl.Environments.MakeVector("CartPole-v1", count: 8);
        var dqn = rl.Agents.Dqn(o => o with { LearningStarts = 1_000 }).Fit(cartPoles, Budget.Steps(50_000));   // discrete actions

        using var pendulum = rl.Environments.MakeVector("Pendulum-v1", count: 1);
        var sac = rl.Agents.Sac(new SacOptions { LearningStarts = 1_000 }).Fit(pendulum, Budget.Steps(20_000));  // continuous actions

        var byName = rl.Agents.Create("td3");                         // any registered name, as a config file or CLI names it
        // end snippet
        Given.Check(dqn.Algorithm == "dqn" && sac.Algorithm == "sac" && byName.Algorithm == "td3", "the three algorithms");
    }
}
