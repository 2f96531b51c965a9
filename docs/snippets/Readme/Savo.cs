using RLKit.Algorithms.Savo;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Training;

namespace RLKit.Snippets.Readme;

internal static class Savo
{
    public static void Run()
    {
        // begin snippet
        var rl = RLKitEnvs.CreateContext(seed: 1);
        using var env = rl.Environments.MakeVector("RestrictedPendulum-v1", count: 1);   // valid actions: a union of intervals
        var agent = rl.Agents.Td3(o => o with { HiddenSizes = [256, 256] })
            .WithSuccessiveActors(k: 3)                                   // ν_0, ν_1, ν_2 and their surrogates Ψ̂_1, Ψ̂_2
            .Fit(env, Budget.Steps(50_000));

        var wolpertinger = rl.Agents.Td3().WithActorArchitecture("wolpertinger", k: 3);   // or single, ensemble, cem, greedy, greedy-ac, joint
        var landscape = agent.QLandscape([1f, 0f, 0f]);                   // Q(s, ·), Ψ̂_i(s, ·) and the proposals at θ = 0
        Console.WriteLine($"proposals {string.Join(", ", landscape.Proposals)}; the maximizer takes #{landscape.MaximizerChoice}");
        // end snippet

        Given.Check(landscape.Proposals.Count == 3 && landscape.Surrogates.Count == 2, "three proposals, two surrogates");
        Given.Check(landscape.Q.Count == landscape.Actions.Count && wolpertinger.Options.Architecture == "wolpertinger",
                    "one Q per sampled action; the architecture by name");
    }
}
