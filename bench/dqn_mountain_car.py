"""DQN on MountainCar-v0, for the DQN lesson: what it reaches, honestly, with CartPole's defaults.

4 seeds x 500,000 steps of DQN() (the defaults that solve CartPole), evaluated greedily over 16 episodes each.
Also reported: the fraction of training episodes that reached the flag, per 50,000 steps, since MountainCar pays
-1 per step and nothing else, so an agent that never reaches the flag by chance has nothing to learn from.
Results go to bench/results/dqn_mountain_car.json, which the lesson nbs/05f_dqn.ipynb quotes.

Run: python bench/dqn_mountain_car.py   (about 4 minutes on two CPU cores)
"""
import json
import time
import warnings
from pathlib import Path

import equinox as eqx
import jax
import jax.random as jr
import numpy as np

from lerax.algorithm import DQN, evaluate
from lerax.env import make
from lerax.policy import MLPQPolicy

SEEDS, TIMESTEPS, WINDOW = 4, 500_000, 5_000      # WINDOW iterations of 10 steps: 50,000 steps


def main():
    env = make("MountainCar-v0")
    policy = MLPQPolicy(env=env, key=jr.key(0))
    start = time.perf_counter()
    trained, metrics = DQN().learn(env, policy, total_timesteps=TIMESTEPS, key=jr.split(jr.key(1), SEEDS),
                                   return_metrics=True)
    jax.block_until_ready(trained)
    seconds = time.perf_counter() - start
    returns, _ = eqx.filter_vmap(lambda p, k: evaluate(env, p, key=k))(trained, jr.split(jr.key(2), SEEDS))
    episode_return = np.asarray(metrics["episode_return"]).reshape(SEEDS, -1, WINDOW)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        window_return = np.nanmean(episode_return, axis=2)
    # An episode that ends before 200 steps reached the flag: its return is above -200.
    ended = ~np.isnan(episode_return)
    reached = np.where(ended, episode_return > -200, False).sum(axis=2) / np.maximum(ended.sum(axis=2), 1)
    result = dict(seeds=SEEDS, total_timesteps=TIMESTEPS, steps_per_window=WINDOW * DQN().steps_per_iteration,
                  evaluation=np.asarray(returns).round(2).tolist(), training_return=np.round(window_return, 2).tolist(),
                  flag_fraction=np.round(reached, 4).tolist(), seconds=round(seconds, 1), jax=jax.__version__)
    out = Path(__file__).parent / "results" / "dqn_mountain_car.json"
    out.write_text(json.dumps(result) + "\n")
    print(f"{seconds:.0f} s; greedy evaluation per seed: {np.round(returns, 1).tolist()}")
    print("fraction of training episodes reaching the flag, per 50k steps:")
    print(np.round(reached, 3))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
