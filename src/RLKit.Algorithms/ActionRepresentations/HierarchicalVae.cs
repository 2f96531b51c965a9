using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRepresentations;

/// <summary>
/// The hierarchical VAE of seed 003 §2.4.1 and App. D.3.1 (the Neural Statistician of Edwards and Storkey, 2017):
/// an action latent c summarises the set of an action's observations and conditions a VAE of each observation.
/// </summary>
/// <remarks>
/// <para>q(c|O): per-observation code h_o (<see cref="ObservationEncoder"/>) → 4-layer ReLU MLP → masked mean pool
/// over the action's observations → 3-layer ReLU MLP (<see cref="ActionEncoderOptions.ActionHiddenSize"/> wide) to
/// (μ_c, log σ²_c) → a "global" batch norm (one channel over all 2·C outputs, ε = 10⁻³, momentum 10⁻², as the paper's
/// code), which in evaluation mode is one fixed affine map, so inference stays deterministic and per-action.
/// p(c) = N(0, I).</para>
/// <para>q(z|o, c): Linear(h_o) + Linear(c), ReLU, two 2-layer ReLU MLPs and a linear layer to (μ_z, log σ²_z).
/// p(z|c): a 3-layer ReLU MLP of c to (μ, log σ²). p(o|z, c): <see cref="ObservationDecoder"/>.</para>
/// <para>Loss per action: Σ_o −log p(o|z, c) + w_z Σ_o KL(q(z|o,c) ‖ p(z|c)) + w_c KL(q(c|O) ‖ p(c)), one
/// reparameterised sample of c and of each z, averaged over the batch's actions; the sums run over the sampled
/// observations. The representation is μ_c.</para>
/// </remarks>
internal sealed class HierarchicalVae : VaeActionEncoder
{
    private readonly ObservationEncoder _encoder;
    private readonly Mlp _prePool, _postPool, _observationInference, _prior;
    private readonly BatchNorm1d _actionNorm;
    private readonly Linear _codeToZ, _actionToZ;
    private readonly ObservationDecoder _decoder;

    public HierarchicalVae(int steps, int features, ActionEncoderOptions options, RandomGenerator rng)
        : base(steps, features, options, rng)
    {
        int h = options.HiddenSize, a = options.ActionHiddenSize, c = options.RepresentationSize, z = options.ObservationLatentSize;
        _encoder = RegisterModule("encoder", new ObservationEncoder(steps, features, h, options.LstmLayers, rng));
        _prePool = RegisterModule("pre_pool", new Mlp([h, h, h, h, h], rng));
        _postPool = RegisterModule("post_pool", new Mlp([h, a, a, 2 * c], rng));
        _actionNorm = RegisterModule("action_norm", new BatchNorm1d(1, epsilon: 1e-3f, momentum: 1e-2f));
        _codeToZ = RegisterModule("code_to_z", new Linear(h, h, rng));
        _actionToZ = RegisterModule("action_to_z", new Linear(c, h, rng));
        _observationInference = RegisterModule("observation_inference", new Mlp([h, h, h, h, h, 2 * z], rng));
        _prior = RegisterModule("prior", new Mlp([c, h, h, 2 * z], rng));
        _decoder = RegisterModule("decoder", new ObservationDecoder(steps, features, h, z, c, rng));
        Eval();
    }

    public override string Name => "hvae";

    public override int RepresentationSize => Options.RepresentationSize;

    protected override int PooledSize => Options.HiddenSize;

    /// <summary>q(c|O) from pooled per-observation features [B, H]: (μ_c, log σ²_c), each [B, C].</summary>
    internal (Tensor Mean, Tensor LogVar) ActionPosterior(Tensor pooled)
    {
        int batch = pooled.Dim(0), c = Options.RepresentationSize;
        var parameters = _actionNorm.Forward(_postPool.Forward(pooled).Reshape(batch, 1, 2 * c)).Reshape(batch, 2 * c).Chunk(2, 1);
        return (parameters[0], parameters[1]);
    }

    /// <summary>The per-observation features that are mean-pooled: the pre-pool MLP of the encoder's code.</summary>
    internal override Tensor PerObservation(Tensor observations) => _prePool.Forward(_encoder.Forward(observations));

    internal override Tensor PerAction(Tensor pooled) => ActionPosterior(pooled).Mean;

    internal override VaeBatchLoss Loss(ObservationBatch batch, RandomGenerator rng)
    {
        int actions = batch.Actions, slots = batch.Slots;
        var code = _encoder.Forward(batch.Observations);                                    // [B·K, H]
        var pooled = VaeLosses.MeanPool(_prePool.Forward(code), batch.Mask, batch.InverseCounts);
        var (actionMean, actionLogVar) = ActionPosterior(pooled);                          // [B, C]
        var action = VaeLosses.Sample(actionMean, actionLogVar, rng);

        var owner = new int[actions * slots];
        for (int i = 0; i < owner.Length; i++) owner[i] = i / slots;
        var actionPerObservation = action.IndexSelect(0, owner);                          // [B·K, C]

        var posterior = _observationInference.Forward((_codeToZ.Forward(code) + _actionToZ.Forward(actionPerObservation)).Relu()).Chunk(2, 1);
        var prior = _prior.Forward(action).IndexSelect(0, owner).Chunk(2, 1);
        var latent = VaeLosses.Sample(posterior[0], posterior[1], rng);
        var (mean, logVar) = _decoder.Forward(latent, actionPerObservation, batch.Observations);

        int rows = actions * slots;
        var nll = VaeLosses.GaussianNll(_decoder.Target(batch.Observations).Reshape(rows, -1), mean.Reshape(rows, -1), logVar.Reshape(rows, -1));
        var reconstruction = VaeLosses.SumPerAction(nll, batch.Mask).Mean();
        var observationKl = VaeLosses.SumPerAction(VaeLosses.KlDiagonal(posterior[0], posterior[1], prior[0], prior[1]), batch.Mask).Mean();
        var actionKl = VaeLosses.KlToStandardNormal(actionMean, actionLogVar).Mean();
        var loss = reconstruction + observationKl * Options.ObservationKlWeight + actionKl * Options.ActionKlWeight;
        return new VaeBatchLoss(loss, reconstruction, actionKl, observationKl);
    }
}
