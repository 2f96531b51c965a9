// RLKit experiments: programs that reproduce a paper's protocol and write its results document's numbers.
//
//   dotnet run -c Release --project samples/RLKit.Experiments -- mixmask --seeds 5
//
// mixmask (seed 000, Mix & Mask actor-critic): per variant and seed, A2C with the paper's options trains on one
// CartPole-v1 for up to --episodes episodes; after every episode the greedy agent is evaluated on 100 CartPole-v1 and
// 100 NonStationaryCartPole-v1 episodes and training stops once the CartPole mean reaches 495. Prints a table and one
// RESULT line per variant and writes mixmask-runs.csv, mixmask-curves.csv, mixmask-cp.svg and mixmask-ncp.svg.
//
//   dotnet run -c Release --project samples/RLKit.Experiments -- distral --protocol thesis --seeds 5
//
// distral (seed 001, Distral on the two-room grids 4-8, thesis §3.2-3.5): per task subset, seed and variant (per-task
// soft-Q or A2C, Distral 1-col / 2-col / 1-col β′, or one shared soft-Q policy), trains until every task has finished
// --episodes episodes. Prints a table per subset and one RESULT line per variant and subset and writes
// distral-runs.csv, distral-curves.csv and distral-<tasks>-duration.svg / -return.svg to runs/distral/<protocol>.
// distral-report (and mixmask-report) rebuild the tables, RESULT lines and SVGs from the CSVs.
//
//   dotnet run -c Release --project samples/RLKit.Experiments -- agile --env diglava --seeds 5 --threads 1
//
// agile (seed 003 ch. 3, AGILE): per environment (diglava, mining: PPO; recsim: cascaded DQN), method and seed, one
// run into runs/agile/<env>/<method>/seed<s> (curve.csv, result.json), evaluated greedily on train (and RecSim test)
// items; prints a table and one RESULT line per method. agile-report rebuilds them and the SVGs from every finished run.
//
//   dotnet run -c Release --project samples/RLKit.Experiments -- new-actions --env skillgrid --threads 1
//
// new-actions (seed 003 ch. 2, generalisation to new actions): per seed, encoders trained on the training actions'
// observations (cached in runs/new-actions/<env>/encoders), then per method a PPO run with per-episode action
// subsampling and validation-based model selection, evaluated zero-shot on train and test actions
// (runs/new-actions/<env>/<method>/seed<s>); new-actions-report rebuilds the table, RESULT lines, CSVs and SVGs.
//
//   dotnet run -c Release --project samples/RLKit.Experiments -- savo --env restricted-pendulum --threads 1
//
// savo (seed 003 ch. 4, SAVO): per environment (restricted-pendulum, restricted-cartpole, pendulum, mining, recsim),
// method (SAVO, TD3, Wolpertinger, ensemble, CEM, and the ablations), k and seed, one TD3-loop run into
// runs/savo/<env>/<method>/k<k>/seed<s> (curve.csv, result.json, agent.rlkit for SAVO on 1-D actions); savo-report
// rebuilds the tables, RESULT lines, CSVs, learning curves, performance profiles, k sweep and Q-landscape.
using RLKit.Experiments;

return CommandLine.Run(args);
