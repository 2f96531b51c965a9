using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Snippets.Readme;

internal static class Predicting
{
    public static void Run()
    {
        var agent = Given.CartPoleAgent();
        float[] observation = Given.CartPoleObservations(1);
        float[] observations = Given.CartPoleObservations(16);
        var actions = new int[16];
        // begin snippet
        int action = agent.Predict(observation);                   // one observation (float[] or span), greedy
        agent.Predict(observations, actions);                      // a batch back to back, into your int[] (or float[] for Box actions)
        agent.Predict(observations, actions, deterministic: false, new RandomGenerator(7));   // sample instead
        // end snippet
        Given.Check(action is 0 or 1 && actions.All(a => a is 0 or 1), "CartPole actions");
    }
}
