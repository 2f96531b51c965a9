using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.ActionRepresentations;
using RLKit.Algorithms.Ppo;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Environments.Wrappers;
using RLKit.Envs;
using RLKit.Envs.Grid;
using RLKit.Hosting;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Snippets.Readme;

internal static class NewActions
{
    public static void Run()
    {
        // begin snippet
        var rl = RLKitEnvs.CreateContext(seed: 1);
        var (train, validation, test) = SkillGrid.SplitSkills(seed: 2020);          // 512 / 256 / 256 of the 1024 skills
        var observations = SkillGrid.ActionObservations(trajectoriesPerSkill: 64, seed: 1);
        var hvae = ActionEncoders.Create("hvae", observations.Steps, observations.Features,
            new ActionEncoderOptions { RepresentationSize = SkillGrid.RepresentationSize, Epochs = 20 }, new RandomGenerator(1));
        hvae.Fit(observations, train);                                               // the training skills only
        float[] representations = hvae.Infer(observations, Enumerable.Range(0, SkillGrid.SkillCount).ToArray());
        ActionEncoders.Standardise(representations, SkillGrid.RepresentationSize, train);

        IEnvironment Grid(int[] skills)                                              // 50 skills of the split per episode
        {
            var env = rl.Environments.Make("SkillGrid-v0");
            representations.CopyTo(((ActionSet)env.ActionSpace).Representations);
            return new ActionSubsampling(env, skills, actionsPerEpisode: 50);
        }
        using var envs = new SyncVectorEnvironment(Enumerable.Range(0, 16).Select(_ => Grid(train)).ToArray(), AutoresetMode.SameStep);
        var agent = rl.Agents.Ppo(new PpoOptions { LearningRate = 1e-3f, EntropyCoefficient = 0.05f, ClipRange = 0.1f,
                                             Epochs = 4, StepsPerEnvironment = 64, MinibatchSize = 128 })
            .WithUtilityPolicy()                                                     // UtilityPolicyHead on the actor
            .Fit(envs, Budget.Steps(122_880));
        var zeroShot = rl.Evaluate(agent, Grid(test), episodes: 300);               // skills it has never seen
        // end snippet
    }
}
