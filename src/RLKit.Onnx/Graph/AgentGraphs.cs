using System.Globalization;
using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Distral;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.MixMask;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Reinforce;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.SoftQ;
using RLKit.Algorithms.Td3;
using RLKit.Onnx.Schema;
using RLKit.Spaces;
using RLKit.Training;
using static RLKit.Onnx.Graph.OnnxGraphBuilder;
using DataType = RLKit.Onnx.Schema.TensorProto.Types.DataType;

namespace RLKit.Onnx.Graph;

/// <summary>Each agent family's acting network as one ONNX graph: the observation input, the network, and the outputs its greedy <c>Act</c> reads.</summary>
internal static class AgentGraphs
{
    /// <summary>The agents <see cref="Build"/> knows, for error messages.</summary>
    public const string SupportedAgents =
        "PpoAgent, A2cAgent, ReinforceAgent (including Mix & Mask networks), DqnAgent, SoftQAgent, SacAgent, DiscreteSacAgent, Td3Agent, DdpgAgent and DistralAgent";

    /// <summary>The model for <paramref name="agent"/>.</summary>
    /// <exception cref="NotSupportedException">If the agent, its network or one of its modules cannot be exported; the message names it.</exception>
    /// <exception cref="ArgumentException">If an option does not fit the agent (a task for a single-task agent, normalisation of another size).</exception>
    /// <exception cref="ArgumentOutOfRangeException">If the task is out of range.</exception>
    public static ModelProto Build(IAgent agent, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckTask(agent, options.Task);
        int observationSize = agent.ObservationSpace.FlatSize;
        var g = new OnnxGraphBuilder(agent.Algorithm);
        string x = g.Input(OnnxNames.Observation, DataType.Float,
            options.ObservationNormalization is null ? "flattened observations" : "flattened raw observations (the normalisation statistics are folded in)",
            observationSize);
        if (options.ObservationNormalization is { } statistics)
        {
            if (statistics.Size != observationSize)
                throw new ArgumentException(
                    $"ExportOnnx: the observation normalisation has {statistics.Size} elements but the {agent.Algorithm} agent reads observations of {observationSize}.",
                    nameof(options));
            x = PolicyNodes.Normalize(g, x, statistics);
        }

        switch (agent)
        {
            case PpoAgent ppo: OnPolicy(g, x, ppo.Network, ppo.ActionSpace, options.IncludeValue); break;
            case A2cAgent a2c: OnPolicy(g, x, a2c.Network, a2c.ActionSpace, options.IncludeValue); break;
            case ReinforceAgent reinforce: OnPolicy(g, x, reinforce.Network, reinforce.ActionSpace, options.IncludeValue); break;
            case DqnAgent dqn: QValues(g, x, dqn.QNetwork, "q"); break;
            case SoftQAgent softQ: QValues(g, x, softQ.QNetwork, "q"); break;
            case SacAgent sac: Sac(g, x, sac); break;
            case DiscreteSacAgent discreteSac:
                PolicyNodes.Categorical(g, NnNodes.Mlp(g, x, discreteSac.Actor, "actor"), discreteSac.Actor.OutputSize,
                    actionOffset: ((Discrete)discreteSac.ActionSpace).Start);
                break;
            case Td3Agent td3: Deterministic(g, x, td3.Networks.Actor); break;
            case DdpgAgent ddpg: Deterministic(g, x, ddpg.Networks.Actor); break;
            case DistralAgent distral: Distral(g, x, distral, options.Task); break;
            default:
                throw new NotSupportedException(
                    $"ExportOnnx: cannot export the {agent.Algorithm} agent {agent.GetType().Name}; RLKit.Onnx exports {SupportedAgents}. " +
                    "For one task of a multi-task agent, export the agent itself with OnnxExportOptions.Task.");
        }
        return g.Build(DocString(agent, options, g.Signature), Metadata(agent, options));
    }

    private static void CheckTask(IAgent agent, int? task)
    {
        if (task is not int index) return;
        if (agent is not IMultiTaskAgent multiTask)
            throw new ArgumentException($"ExportOnnx: OnnxExportOptions.Task is for multi-task agents, and the {agent.Algorithm} agent has one policy; leave it null.", "options");
        if (index >= multiTask.TaskIds.Count)
            throw new ArgumentOutOfRangeException("options", index,
                $"ExportOnnx: OnnxExportOptions.Task must be in [0, {multiTask.TaskIds.Count - 1}] (the agent was trained on {multiTask.TaskIds.Count} tasks); got {index}.");
    }

    // PPO, A2C, REINFORCE: the actor-critic network's latents, the head's outputs and V(s).
    private static void OnPolicy(OnnxGraphBuilder g, string x, ActorCriticModel network, Space actionSpace, bool includeValue)
    {
        var (policy, value, valueOutput) = network switch
        {
            ActorCriticNetwork plain => PlainLatents(g, x, plain),
            SharedFeatureNetwork shared => SharedLatents(g, x, shared),
            Algorithms.ActionRelations.ActionSetActorCritic => throw new NotSupportedException(
                "ExportOnnx: the agent's relational actor-critic (ActionRelations, AGILE) scores a variable set of actions with graph layers that RLKit.Onnx does not write; export an agent without ActionRelations."),
            _ => throw NnNodes.Unsupported(network, "network", "the actor-critic networks ActorCriticNetwork and SharedFeatureNetwork (Mix & Mask)"),
        };
        switch (network.Head)
        {
            case CategoricalHead head:
                PolicyNodes.Categorical(g, NnNodes.Linear(g, policy, head.LogitLayer, "policy.logits"), head.ActionSize);
                break;
            case MaskedCategoricalHead head:
                string mask = g.Input(OnnxNames.ActionMask, DataType.Bool, "true where the action may be taken; every row needs at least one", head.ActionSize);
                PolicyNodes.Categorical(g, NnNodes.Linear(g, policy, head.LogitLayer, "policy.logits"), head.ActionSize, mask);
                break;
            case DiagGaussianHead head:
                PolicyNodes.ClippedAction(g, NnNodes.Linear(g, policy, head.MeanLayer, "policy.mean"), (Box)actionSpace,
                    "the Gaussian policy's mean, clipped to the action box");
                break;
            default:
                throw NnNodes.Unsupported(network.Head, "policy", "the on-policy heads CategoricalHead, MaskedCategoricalHead and DiagGaussianHead");
        }
        if (includeValue) PolicyNodes.Value(g, NnNodes.Linear(g, value, valueOutput, "value"), "the critic's state value V(s)");
    }

    private static (string Policy, string Value, Nn.Linear ValueOutput) PlainLatents(OnnxGraphBuilder g, string x, ActorCriticNetwork network)
    {
        var policy = NnNodes.Mlp(g, x, network.ActorTrunk, network.SharedTrunk ? "trunk" : "actor");
        var value = network.CriticTrunk is { } critic ? NnNodes.Mlp(g, x, critic, "critic") : policy;
        return (policy, value, network.ValueOutput);
    }

    private static (string Policy, string Value, Nn.Linear ValueOutput) SharedLatents(OnnxGraphBuilder g, string x, SharedFeatureNetwork network)
    {
        var (policy, value) = SharedFeatureNodes.Latents(g, x, network);
        return (policy, value, network.ValueOutput);
    }

    // DQN, soft Q-learning: Q(s, ·), plain or dueling (Q = V + A − mean_a A), and its arg max.
    private static void QValues(OnnxGraphBuilder g, string x, QNetwork network, string path)
    {
        var q = NnNodes.Mlp(g, x, network.Trunk, path + ".trunk");
        if (network.IsDueling)
        {
            var value = NnNodes.Linear(g, q, network.ValueHead!, path + ".value");
            var advantage = NnNodes.Linear(g, q, network.AdvantageHead!, path + ".advantage");
            var meanAdvantage = g.Node("ReduceMean", path + ".advantage", [advantage], Ints("axes", 1), Int("keepdims", 1));
            q = g.Node("Add", path, [value, g.Node("Sub", path + ".advantage", [advantage, meanAdvantage])]);
        }
        g.Output(q, OnnxNames.QValues, DataType.Float, "the action values Q(s, a)", network.ActionCount);
        PolicyNodes.Greedy(g, q, 0, "the greedy action arg max_a Q(s, a) (the first on ties)");
    }

    // SAC: tanh of the squashed Gaussian's mean, rescaled to the box.
    private static void Sac(OnnxGraphBuilder g, string x, SacAgent agent)
    {
        var hidden = NnNodes.Mlp(g, x, agent.Actor.Trunk, "actor.trunk");
        var mean = NnNodes.Linear(g, hidden, agent.Actor.MeanLayer, "actor.mean");
        PolicyNodes.RescaledAction(g, g.Node("Tanh", "actor.mean", [mean]), agent.Actor.Rescaler);
    }

    // TD3, DDPG: μ(s), the actor's tanh output rescaled to the box.
    private static void Deterministic(OnnxGraphBuilder g, string x, DeterministicActor actor) =>
        PolicyNodes.RescaledAction(g, NnNodes.Mlp(g, x, actor.Mlp, "actor.mlp"), actor.Rescaler);

    // Distral: π0 = softmax(h0), or π_i with the logits of DistralModel.PolicyLogits.
    private static void Distral(OnnxGraphBuilder g, string x, DistralAgent agent, int? task)
    {
        var model = agent.Model;
        string logits;
        if (task is not int i) logits = NnNodes.Mlp(g, x, model.Distilled, "distilled");
        else
        {
            var o = model.Options;
            string path = string.Create(CultureInfo.InvariantCulture, $"task{i}");
            var taskValues = NnNodes.Mlp(g, x, model.Tasks[i], path);
            if (o.Columns == DistralColumns.OneColumn)
                logits = o.TaskPolicyScale == 1f ? taskValues : g.Node("Mul", path, [taskValues, g.Scalar(path + ".scale", o.TaskPolicyScale)]);
            else
            {
                logits = g.Node("Mul", path, [taskValues, g.Scalar(path + ".beta", o.Beta)]);
                if (model.TaskPolicyUsesDistilled)
                {
                    var distilled = g.Node("Mul", "distilled", [NnNodes.Mlp(g, x, model.Distilled, "distilled"), g.Scalar("distilled.alpha", o.Alpha)]);
                    logits = g.Node("Add", path, [distilled, logits]);
                }
            }
        }
        PolicyNodes.Categorical(g, logits, model.ActionCount);
    }

    private static string DocString(IAgent agent, OnnxExportOptions options, IReadOnlyList<string> signature)
    {
        string policy = options.Task is int task && agent is IMultiTaskAgent multiTask
            ? $"the policy of task {task} ({multiTask.TaskIds[task]})"
            : agent is IMultiTaskAgent ? "the task-free (distilled) policy" : "the greedy policy";
        return $"RLKit {agent.Algorithm} agent, {policy}; observation space {agent.ObservationSpace.Description}, action space {agent.ActionSpace.Description}. " +
               $"ONNX opset {OnnxExporter.Opset}.\n" + string.Join("\n", signature);
    }

    private static IEnumerable<KeyValuePair<string, string>> Metadata(IAgent agent, OnnxExportOptions options)
    {
        yield return new("rlkit.algorithm", agent.Algorithm);
        yield return new("rlkit.observation_space", agent.ObservationSpace.Description);
        yield return new("rlkit.action_space", agent.ActionSpace.Description);
        if (agent is IMultiTaskAgent multiTask)
            yield return new("rlkit.task", options.Task is int task ? multiTask.TaskIds[task] : "(distilled)");
        yield return new("rlkit.observation_normalization", options.ObservationNormalization is null ? "none" : "folded in");
    }
}
