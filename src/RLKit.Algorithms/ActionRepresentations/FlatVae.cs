using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRepresentations;

/// <summary>
/// The flat VAE baseline of seed 003 ch. 2 ("non-hierarchical VAE"): each observation is encoded on its own,
/// q(z|o) (the <see cref="ObservationEncoder"/>'s code, then a 3-layer ReLU MLP to (μ_z, log σ²_z)), p(z) = N(0, I),
/// and decoded by p(o|z) (<see cref="ObservationDecoder"/> without a condition). An action's representation is the
/// mean of μ_z over its observations, so z has <see cref="ActionEncoderOptions.RepresentationSize"/> entries
/// (<see cref="ActionEncoderOptions.ObservationLatentSize"/> is not used).
/// </summary>
/// <remarks>Loss per action: Σ_o −log p(o|z) + w_z Σ_o KL(q(z|o) ‖ N(0, I)); there is no action KL (reported as 0).</remarks>
internal sealed class FlatVae : VaeActionEncoder
{
    private readonly ObservationEncoder _encoder;
    private readonly Mlp _inference;
    private readonly ObservationDecoder _decoder;

    public FlatVae(int steps, int features, ActionEncoderOptions options, RandomGenerator rng)
        : base(steps, features, options, rng)
    {
        int h = options.HiddenSize, z = options.RepresentationSize;
        _encoder = RegisterModule("encoder", new ObservationEncoder(steps, features, h, options.LstmLayers, rng));
        _inference = RegisterModule("inference", new Mlp([h, h, h, 2 * z], rng));
        _decoder = RegisterModule("decoder", new ObservationDecoder(steps, features, h, z, conditionSize: 0, rng));
        Eval();
    }

    public override string Name => "vae";

    public override int RepresentationSize => Options.RepresentationSize;

    protected override int PooledSize => Options.RepresentationSize;

    /// <summary>q(z|o): (μ_z, log σ²_z), each [N, Z].</summary>
    internal (Tensor Mean, Tensor LogVar) Posterior(Tensor observations)
    {
        var parameters = _inference.Forward(_encoder.Forward(observations)).Chunk(2, 1);
        return (parameters[0], parameters[1]);
    }

    internal override Tensor PerObservation(Tensor observations) => Posterior(observations).Mean;

    internal override Tensor PerAction(Tensor pooled) => pooled;

    internal override VaeBatchLoss Loss(ObservationBatch batch, RandomGenerator rng)
    {
        int rows = batch.Actions * batch.Slots;
        var (mean, logVar) = Posterior(batch.Observations);
        var latent = VaeLosses.Sample(mean, logVar, rng);
        var (decodedMean, decodedLogVar) = _decoder.Forward(latent, null, batch.Observations);
        var nll = VaeLosses.GaussianNll(_decoder.Target(batch.Observations).Reshape(rows, -1), decodedMean.Reshape(rows, -1), decodedLogVar.Reshape(rows, -1));
        var reconstruction = VaeLosses.SumPerAction(nll, batch.Mask).Mean();
        var observationKl = VaeLosses.SumPerAction(VaeLosses.KlToStandardNormal(mean, logVar), batch.Mask).Mean();
        var loss = reconstruction + observationKl * Options.ObservationKlWeight;
        return new VaeBatchLoss(loss, reconstruction, Tensor.Zeros(), observationKl);
    }
}
