using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Training;

namespace RLKit.Snippets.Guide;

internal static class ConfigurationFiles
{
    public static void Run()
    {
        File.WriteAllText("ppo-cartpole.json", """{ "learning_rate": 1e-3, "gamma": 0.98, "StepsPerEnvironment": 32, "minibatchSize": 256 }""");
        // begin snippet
        var rl = RLKitEnvs.CreateContext(seed: 1);
        var ppo = rl.Agents.CreateFromJson("ppo", File.ReadAllText("ppo-cartpole.json"));
        Console.WriteLine(ppo.Options);                                    // every option, as the run will use it

        using var envs = rl.Environments.MakeVector("CartPole-v1", count: 8);
        var agent = ppo.Fit(envs, Budget.Steps(100_000));

        try
        {
            rl.Agents.CreateFromJson("ppo", """{ "Gama": 0.5 }""");
        }
        catch (ArgumentException e)
        {
            Console.WriteLine(e.Message);                                  // names "Gama" and suggests "Gamma"
        }
        // end snippet
        Given.Check(agent.Algorithm == "ppo", "a trained PPO agent");
    }
}
