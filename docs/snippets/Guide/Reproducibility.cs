using RLKit.Algorithms.Ppo;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Training;

namespace RLKit.Snippets.Guide;

internal static class Reproducibility
{
    public static void Run()
    {
        // begin snippet
        IAgent Train(ulong seed)
        {
            var rl = RLKitEnvs.CreateContext(seed);
            using var envs = rl.Environments.MakeVector("CartPole-v1", count: 8);      // environment seed: the context's next
            return rl.Agents.Ppo(PpoOptions.CartPole).Fit(envs, Budget.Steps(20_000)); // algorithm seed: the context's next
        }

        float[] states = [0.01f, 0.2f, -0.03f, -0.3f, 0.5f, -0.4f, 0.1f, 0.6f];         // two CartPole observations
        int[] first = new int[2], second = new int[2];
        Train(seed: 7).Predict(states, first);
        Train(seed: 7).Predict(states, second);                                       // the same seed, the same calls …
        Console.WriteLine(first.SequenceEqual(second));                               // … the same bits: True
        // end snippet
        Given.Check(first.SequenceEqual(second), "two runs with one seed act alike");
    }
}
