using RLKit.Algorithms.MixMask;
using static RLKit.Onnx.Graph.OnnxGraphBuilder;

namespace RLKit.Onnx.Graph;

/// <summary>
/// The Mix &amp; Mask network (<see cref="SharedFeatureNetwork"/>) as ONNX nodes, in evaluation mode as greedy acting
/// runs it: Gaussian mix and mask features at their mean (so their covariance parameters do not appear), batch norms on
/// their running statistics. Every mix (MLP, MLP-Mixer, Conv, cross-attention) and mask (MLP, self-attention,
/// latent query, shared attention) and every skip connection is written.
/// </summary>
internal static class SharedFeatureNodes
{
    /// <summary>The latents the policy head and the value output read, [B, width] each, as <c>SharedFeatureNetwork.Forward</c> computes them.</summary>
    public static (string Policy, string Value) Latents(OnnxGraphBuilder g, string x, SharedFeatureNetwork network)
    {
        var act = network.HiddenActivation;
        string policy, value;
        if (network.Backbone is { } backbone)
            policy = value = NnNodes.Activation(g, NnNodes.Linear(g, x, backbone, "backbone"), act, "backbone");
        else
            (policy, value) = (NnNodes.Mlp(g, x, network.ActorTrunk!, "actor"), NnNodes.Mlp(g, x, network.CriticTrunk!, "critic"));

        if (network.ActorExtra is { } actorExtra)
        {
            policy = NnNodes.Activation(g, NnNodes.Linear(g, g.Node("Concat", "actor_extra", [policy, policy], Int("axis", 1)), actorExtra, "actor_extra"), act, "actor_extra");
            value = NnNodes.Activation(g, NnNodes.Linear(g, g.Node("Concat", "critic_extra", [value, value], Int("axis", 1)), network.CriticExtra!, "critic_extra"), act, "critic_extra");
        }
        if (network.MaskModule is { } mask)
        {
            var options = network.Options.Mask!;
            if (!options.Auxiliary)
            {
                var (maskPolicy, maskValue) = Normalise(g, network.MaskNorms, Mask(g, mask, policy, "mask"), "mask");
                (policy, value) = Join(g, options, maskPolicy, maskValue, policy, value, "mask");
            }
        }
        if (network.MixModule is { } mix)
        {
            if (network.ActorBridge is { } actorBridge)
            {
                policy = NnNodes.Activation(g, NnNodes.Linear(g, policy, actorBridge, "actor_bridge"), act, "actor_bridge");
                value = NnNodes.Activation(g, NnNodes.Linear(g, value, network.CriticBridge!, "critic_bridge"), act, "critic_bridge");
            }
            var options = network.Options.Mix!;
            if (!options.Auxiliary)
            {
                var (mixPolicy, mixValue) = Normalise(g, network.MixNorms, Mix(g, mix, policy, value, "mix"), "mix");
                (policy, value) = Join(g, options, mixPolicy, mixValue, policy, value, "mix");
            }
        }
        if (network.ActorHidden is { } actorHidden)
        {
            policy = NnNodes.Activation(g, NnNodes.Linear(g, policy, actorHidden, "actor_head"), act, "actor_head");
            value = NnNodes.Activation(g, NnNodes.Linear(g, value, network.CriticHidden!, "critic_head"), act, "critic_head");
        }
        return (policy, value);
    }

    // The mix-and-mask network's LayerNorm after each side's mask and mix output, where it has them.
    private static (string Policy, string Value) Normalise(OnnxGraphBuilder g, (Nn.LayerNorm Policy, Nn.LayerNorm Value)? norms,
                                                           (string Policy, string Value) outputs, string path) =>
        norms is { } n
            ? (NnNodes.LayerNorm(g, outputs.Policy, n.Policy, path + ".policy_norm"), NnNodes.LayerNorm(g, outputs.Value, n.Value, path + ".value_norm"))
            : outputs;

    // The heads read the mechanism's output joined with the latent it replaces (none, residual sum, dense concatenation).
    private static (string Policy, string Value) Join(OnnxGraphBuilder g, FeatureMechanismOptions options, string policyOut, string valueOut,
                                                      string policyIn, string valueIn, string path) => options.Skip switch
    {
        SkipConnection.Residual => (g.Node("Add", path + ".skip", [policyOut, policyIn]), g.Node("Add", path + ".skip", [valueOut, valueIn])),
        SkipConnection.Dense => (g.Node("Concat", path + ".skip", [policyOut, policyIn], Int("axis", 1)),
                                 g.Node("Concat", path + ".skip", [valueOut, valueIn], Int("axis", 1))),
        _ => (policyOut, valueOut),
    };

    private static (string Policy, string Value) Mask(OnnxGraphBuilder g, MaskModule mask, string shared, string path)
    {
        switch (mask)
        {
            case MlpMask mlp:
                return (NnNodes.Activation(g, NnNodes.Linear(g, shared, mlp.PolicyLayer, path + ".policy"), mlp.Activation, path + ".policy"),
                        NnNodes.Activation(g, NnNodes.Linear(g, shared, mlp.ValueLayer, path + ".value"), mlp.Activation, path + ".value"));
            case SelfAttentionMask self:
                return (Attention(g, self.PolicyAttention, shared, shared, path + ".policy"),
                        Attention(g, self.ValueAttention, shared, shared, path + ".value"));
            case LatentQueryMask latent:
            {
                // The learned query [H] is one row every batch row shares; [1, H] broadcasts like RLKit's Unsqueeze(0).
                var query = g.Weight(path + ".latent_query", latent.LatentQuery.AsReadOnlySpan(), [1, latent.Width]);
                return (Attention(g, latent.PolicyAttention, query, shared, path + ".policy"),
                        Attention(g, latent.ValueAttention, query, shared, path + ".value"));
            }
            case SharedAttentionMask sharedAttention:
            {
                string attentionPath = path + ".attention";
                var policyWeights = AttentionWeights(g, sharedAttention.Attention, shared, shared, attentionPath);
                // a_v = (1 − a_π)/(H − 1), computed as RLKit's Affine: a_π·(−1/(H − 1)) + 1/(H − 1).
                float inverse = 1f / (sharedAttention.Width - 1);
                var valueWeights = g.Node("Add", attentionPath,
                    [g.Node("Mul", attentionPath, [policyWeights, g.Scalar(attentionPath + ".invert_scale", -inverse)]), g.Scalar(attentionPath + ".invert_shift", inverse)]);
                var values = NnNodes.Linear(g, shared, sharedAttention.Attention.Value, attentionPath + ".value");
                return (Attend(g, policyWeights, values, attentionPath), Attend(g, valueWeights, values, attentionPath));
            }
            default:
                throw NnNodes.Unsupported(mask, path, "the masks MlpMask, SelfAttentionMask, LatentQueryMask and SharedAttentionMask");
        }
    }

    private static (string Policy, string Value) Mix(OnnxGraphBuilder g, MixModule mix, string policy, string value, string path)
    {
        switch (mix)
        {
            case MlpMix mlp:
            {
                var joint = g.Node("Concat", path, [policy, value], Int("axis", 1));
                return (NnNodes.Activation(g, NnNodes.Linear(g, joint, mlp.PolicyLayer, path + ".policy"), mlp.Activation, path + ".policy"),
                        NnNodes.Activation(g, NnNodes.Linear(g, joint, mlp.ValueLayer, path + ".value"), mlp.Activation, path + ".value"));
            }
            case MixerMix mixer:
            {
                var x = AsChannels(g, policy, value, path);                       // [B, 2, H]
                for (int i = 0; i < mixer.Blocks; i++)
                {
                    // Channel mixing runs on [B, H, 2], feature mixing on [B, 2, H], as in MixerMix.Forward.
                    var channels = g.Node("Transpose", path, [x], Ints("perm", 0, 2, 1));
                    channels = g.Node("Relu", path, [NnNodes.Linear(g, channels, mixer.ChannelMixers[i], $"{path}.channel{i}", rank: 3)]);
                    x = g.Node("Transpose", path, [channels], Ints("perm", 0, 2, 1));
                    x = g.Node("Relu", path, [NnNodes.Linear(g, x, mixer.FeatureMixers[i], $"{path}.feature{i}", rank: 3)]);
                    x = NnNodes.LayerNorm(g, x, mixer.Norms[i], $"{path}.norm{i}");
                }
                return (Channel(g, x, 0, path), Channel(g, x, 1, path));
            }
            case ConvMix conv:
            {
                var x = AsChannels(g, policy, value, path);
                for (int i = 0; i < conv.Blocks; i++)
                {
                    x = NnNodes.Activation(g, NnNodes.Conv1d(g, x, conv.Convolutions[i], $"{path}.conv{i}"), conv.Activation, $"{path}.conv{i}");
                    x = NnNodes.BatchNorm(g, x, conv.Norms[i], $"{path}.norm{i}");
                }
                return (Channel(g, x, 0, path), Channel(g, x, 1, path));
            }
            case CrossAttentionMix cross:
                return (Attention(g, cross.PolicyAttention, value, policy, path + ".policy"),
                        Attention(g, cross.ValueAttention, policy, value, path + ".value"));
            default:
                throw NnNodes.Unsupported(mix, path, "the mixes MlpMix, MixerMix, ConvMix and CrossAttentionMix");
        }
    }

    // FeatureAttention.Forward: softmax_j(q_i·k_j) applied to the projected values, over the H one-dimensional feature tokens.
    private static string Attention(OnnxGraphBuilder g, FeatureAttention attention, string queryInput, string keyValueInput, string path) =>
        Attend(g, AttentionWeights(g, attention, queryInput, keyValueInput, path),
               NnNodes.Linear(g, keyValueInput, attention.Value, path + ".value"), path);

    // a = softmax over the last axis of the outer product q ⊗ k, [B, H, H].
    private static string AttentionWeights(OnnxGraphBuilder g, FeatureAttention attention, string queryInput, string keyInput, string path)
    {
        var query = NnNodes.Linear(g, queryInput, attention.Query, path + ".query");
        var key = NnNodes.Linear(g, keyInput, attention.Key, path + ".key");
        var scores = g.Node("Mul", path,
            [g.Node("Unsqueeze", path, [query, g.Int64s(path + ".axis_last", -1)]), g.Node("Unsqueeze", path, [key, g.Int64s(path + ".axis_middle", -2)])]);
        return g.Node("Softmax", path, [scores], Int("axis", -1));
    }

    // output_i = Σ_j a_ij·u_j: [B, H, H] × [B, H, 1] → [B, H].
    private static string Attend(OnnxGraphBuilder g, string weights, string values, string path)
    {
        var column = g.Node("Unsqueeze", path, [values, g.Int64s(path + ".axis_column", -1)]);
        return g.Node("Squeeze", path, [g.Node("MatMul", path, [weights, column]), g.Int64s(path + ".axis_squeeze", -1)]);
    }

    // The two latents as the channels of [B, 2, H] (0 the policy's, 1 the value's), as MixModules.AsChannels stacks them.
    private static string AsChannels(OnnxGraphBuilder g, string policy, string value, string path)
    {
        var axis = g.Int64s(path + ".channel_axis", 1);
        return g.Node("Concat", path, [g.Node("Unsqueeze", path, [policy, axis]), g.Node("Unsqueeze", path, [value, axis])], Int("axis", 1));
    }

    private static string Channel(OnnxGraphBuilder g, string channels, int channel, string path) =>
        g.Node("Gather", path, [channels, g.Int64Scalar($"{path}.channel{channel}_index", channel)], Int("axis", 1));
}
