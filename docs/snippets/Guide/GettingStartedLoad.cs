using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Snippets.Guide;

internal static class GettingStartedLoad
{
    public static void Run()
    {
        Checkpoint.Save(Given.CartPoleAgent(), "cartpole.rlkit");
        float[] observationFromYourSystem = Given.CartPoleObservations(1);
        // begin snippet
        IAgent policy = Checkpoint.LoadAgent("cartpole.rlkit");          // any algorithm: the packages register themselves

        int action = policy.Predict(observationFromYourSystem);          // float[4] in, 0 (push left) or 1 (push right) out
        // end snippet
        Given.Check(action is 0 or 1, "a CartPole action");
    }
}
