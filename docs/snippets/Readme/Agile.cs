using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.Cdqn;
using RLKit.Algorithms.Ppo;
using RLKit.Envs;
using RLKit.Envs.Grid;
using RLKit.Hosting;
using RLKit.Training;

namespace RLKit.Snippets.Readme;

internal static class Agile
{
    public static void Run()
    {
        // begin snippet
        var rl = RLKitEnvs.CreateContext(seed: 1);
        using var grid = rl.Environments.MakeVector("DigLavaGrid-v0", count: 16, seed: 1);
        var agile = rl.Agents.Ppo(new PpoOptions { LearningRate = 1e-3f, EntropyCoefficient = 0.05f, ClipRange = 0.1f,
                                          Epochs = 4, StepsPerEnvironment = 128, MinibatchSize = 128 })
            .WithActionRelations(Relations.Agile)                  // or Relations.Gcn(), DeepSet(), Lstm(), None()
            .Fit(grid, Budget.Steps(250_000));

        var available = new bool[9];
        available.AsSpan(0, 5).Fill(true);                         // four moves and turn-left
        available[(int)DigLavaSkill.DigOrange] = available[(int)DigLavaSkill.DigPink] = true;
        var attention = ActionAttention.For(agile, new float[166], available);   // the actor GAT's α, layer by layer

        using var slates = rl.Environments.MakeVector("RecSim-Slate-v0", count: 16, seed: 1);
        var cdqn = rl.Agents.Cdqn(CdqnOptions.RecSim).Fit(slates, Budget.Steps(8_000));   // slates of 6 from 20 candidates
        // end snippet
    }
}
