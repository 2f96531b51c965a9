using RLKit.Algorithms.Common;
using RLKit.Algorithms.MixMask;
using RLKit.Autograd;
using RLKit.Environments;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Experiments;

/// <summary>
/// Seed 000's Fig. 1 measure: S(h_π, h_v), the cosine similarity between the actor's and the critic's hidden features
/// at each depth, averaged over a fixed set of CartPole states. The paper reports E[S(h′_π, h′_v) − S(h_π, h_v)] of
/// trained against untrained models for the separated and the shared-backbone networks.
/// </summary>
internal static class FeatureSimilarity
{
    private const int ProbeEpisodes = 100;
    private const ulong ProbeSeedBase = 3_000_000;

    /// <summary>
    /// The states of 100 episodes of the uniformly random policy (seeds 3,000,000 + i), [N, 4]. The same states serve
    /// every model, trained or not, so the measure compares representations and not the states a policy visits.
    /// </summary>
    public static Tensor ProbeStates(EnvironmentCatalog catalog, string id)
    {
        var states = new List<float>();
        var rng = new RandomGenerator(ProbeSeedBase);
        using var env = catalog.Make(id);
        int size = 0;
        for (int episode = 0; episode < ProbeEpisodes; episode++)
        {
            var observation = env.Reset(ProbeSeedBase + (ulong)episode).Observation;
            size = observation.Length;
            states.AddRange(observation.ToArray());
            while (true)
            {
                var step = env.Step(rng.NextInt(2));
                if (step.Terminated || step.Truncated) break;
                states.AddRange(step.Observation.ToArray());
            }
        }
        return Tensor.FromArray(states.ToArray(), states.Count / size, size);
    }

    /// <summary>
    /// Mean cosine similarity between the two sides' features after each hidden layer: for separated networks after
    /// trunk layers 1 and 2 (and the depth-matched extra layer), for the shared backbone after the backbone (1 by
    /// construction) and after the heads' hidden layers. Empty for networks with a mix or mask (not part of Fig. 1).
    /// </summary>
    public static IReadOnlyList<double> ByLayer(ActorCriticModel model, Tensor states)
    {
        if (model is not SharedFeatureNetwork { Options: { Mix: null, Mask: null } options } network) return [];
        var parameters = network.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        var activation = Activation.FromKind(options.Activation);
        Tensor Layer(string name, Tensor x) => activation.Apply(Tensor.MatMul(x, parameters[name + ".weight"], transposeB: true) + parameters[name + ".bias"]);
        var similarities = new List<double>();
        using (GradMode.NoGrad())
        {
            if (options.SharedBackbone)
            {
                var shared = Layer("backbone", states);
                similarities.Add(Cosine(shared, shared));
                similarities.Add(Cosine(Layer("actor_head", shared), Layer("critic_head", shared)));
            }
            else
            {
                Tensor actor = states, critic = states;
                for (int i = 0; parameters.ContainsKey($"actor.{i}.weight"); i++)
                {
                    (actor, critic) = (Layer($"actor.{i}", actor), Layer($"critic.{i}", critic));
                    similarities.Add(Cosine(actor, critic));
                }
                if (options.DepthMatched)
                {
                    (actor, critic) = (Layer("actor_extra", Tensor.Concat([actor, actor], 1)), Layer("critic_extra", Tensor.Concat([critic, critic], 1)));
                    similarities.Add(Cosine(actor, critic));
                }
            }
        }
        return similarities;
    }

    private static double Cosine(Tensor a, Tensor b) => Functional.CosineSimilarity(a, b).Mean().Item();
}
