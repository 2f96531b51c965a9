using Microsoft.Extensions.DependencyInjection;
using RLKit.Algorithms.Ppo;
using RLKit.Hosting;
using RLKit.Training;
using RLKit.Training.Logging;

namespace RLKit.Snippets.Readme;

internal static class DependencyInjection
{
    public static void Run()
    {
        // begin snippet
        var services = new ServiceCollection();
        services.AddRLKit(b => b.AddClassicAlgorithms().AddStandardEnvironments());
        var rl = services.BuildServiceProvider().GetRequiredService<RLContext>();   // or RLKitEnvs.CreateContext(seed: 1)

        using var envs = rl.Environments.MakeVector("CartPole-v1", count: 8, seed: 1);
        var agent = rl.Agents.Ppo(PpoOptions.CartPole).Fit(envs, Budget.Steps(100_000), rl.Progress(new ConsoleProgress()));
        var report = rl.Evaluate(agent, "CartPole-v1", episodes: 100);
        rl.Model.Save(agent, "cartpole.rlkit");
        var loaded = rl.Model.Load("cartpole.rlkit");
        // end snippet
    }
}
