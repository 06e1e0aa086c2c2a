"""DQN on CartPole over 8 seeds, for the DQN lesson: learning curves and greedy evaluation returns.

Three versions, each 8 seeds x 500,000 steps: DQN() with its defaults (PureJaxRL's CartPole configuration with
Double DQN targets), DQN(double_q=False) (exactly PureJaxRL's configuration, plain DQN targets), and DQN without a
target network (target_update_period=10: a copy every iteration). Every trained policy is evaluated greedily over 16 episodes. The curves (episode return and mean Q,
averaged over windows of 500 iterations) and the evaluations are written to bench/results/dqn_cartpole_seeds.json,
which the lesson nbs/05f_dqn.ipynb plots.

Run: python bench/dqn_seeds.py   (about 8 minutes on two CPU cores)
"""
import json
import platform
import time
import warnings
from pathlib import Path

import equinox as eqx
import jax
import jax.random as jr
import numpy as np

from lerax.algorithm import DQN, evaluate
from lerax.env import CartPole
from lerax.policy import MLPQPolicy

SEEDS, TIMESTEPS, WINDOW = 8, 500_000, 500
VERSIONS = {"DQN (defaults: Double DQN)": DQN(), "plain DQN targets": DQN(double_q=False),
            "no target network": DQN(target_update_period=10)}


def windowed(series: np.ndarray) -> list:
    "Mean over consecutive windows of WINDOW iterations (NaN-aware), per seed."
    seeds, iterations = series.shape
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # a window in which no episode ended is NaN
        means = np.nanmean(series[:, : iterations // WINDOW * WINDOW].reshape(seeds, -1, WINDOW), axis=2)
    return np.round(means, 3).tolist()


def main():
    env = CartPole()
    policy = MLPQPolicy(env=env, key=jr.key(0))
    runs = {}
    for label, algorithm in VERSIONS.items():
        start = time.perf_counter()
        trained, metrics = algorithm.learn(env, policy, total_timesteps=TIMESTEPS, key=jr.split(jr.key(1), SEEDS),
                                           return_metrics=True)
        jax.block_until_ready(trained)
        seconds = time.perf_counter() - start
        returns, _ = eqx.filter_vmap(lambda p, k: evaluate(env, p, key=k))(trained, jr.split(jr.key(2), SEEDS))
        timesteps = np.asarray(metrics["timesteps"])[0]
        runs[label] = dict(timesteps=timesteps[WINDOW - 1 :: WINDOW].tolist(),
                           episode_return=windowed(np.asarray(metrics["episode_return"])),
                           mean_q=windowed(np.asarray(metrics["mean_q"])),
                           evaluation=np.asarray(returns).round(2).tolist(), seconds=round(seconds, 1))
        print(f"{label:>18}: {seconds:6.1f} s, evaluation {np.mean(returns):6.1f} "
              f"(seeds {np.round(returns).astype(int).tolist()})", flush=True)
    out = Path(__file__).parent / "results" / "dqn_cartpole_seeds.json"
    out.write_text(json.dumps(dict(seeds=SEEDS, total_timesteps=TIMESTEPS, window=WINDOW, machine=platform.processor()
                                   or platform.machine(), jax=jax.__version__, runs=runs)) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
