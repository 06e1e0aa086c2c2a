"""DQN on CartPole: Lerax against PureJaxRL's own dqn.py, on its CartPole configuration, in the same run.

The configuration is PureJaxRL's: 10 envs, a buffer of 10,000, batches of 128, 500k steps, epsilon from 1.0 to
0.05 over 250k steps, a target copy every 500 steps, a gradient step every 10 steps, lr 2.5e-4, learning starts
after 10,000 steps, gamma 0.99, a 120-84 ReLU Q-network, plain DQN targets. These are DQN(double_q=False)'s and MLPQPolicy()'s defaults.
Two differences remain, both Lerax's defaults: gradients are clipped to a global norm of 10 (PureJaxRL does not clip),
and a step truncated by the time limit bootstraps (PureJaxRL treats it as terminal).

The reference is PureJaxRL's dqn.py itself (bench/reference/purejaxrl_dqn.py), changed only where the installed
libraries require it (wandb is not imported, gymnax 1.0's step, jax.tree.map).

Reported for each: compile time (first call minus the median steady-state call), steady-state time (median of
REPEATS calls, alternating between the two), steps/s, and final return: the mean return of the training episodes
finished in the last 10% of iterations (played with the final epsilon of 0.05). For Lerax also: the mean greedy
evaluation return of the trained policy (16 episodes). The headline is Lerax's steady-state time divided by the
reference's (goal: <= 1.0x).

Run: python bench/dqn_cartpole.py   (needs the dev extras: pip install -e ".[dev]")
"""
import sys
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import jax.random as jr
import numpy as np

sys.path.insert(0, str(Path(__file__).parent / "reference"))
import purejaxrl_dqn  # noqa: E402

from lerax.algorithm import DQN, evaluate  # noqa: E402
from lerax.env import CartPole  # noqa: E402
from lerax.policy import MLPQPolicy  # noqa: E402

CONFIG = {"NUM_ENVS": 10, "BUFFER_SIZE": 10000, "BUFFER_BATCH_SIZE": 128, "TOTAL_TIMESTEPS": 5e5, "EPSILON_START": 1.0,
          "EPSILON_FINISH": 0.05, "EPSILON_ANNEAL_TIME": 25e4, "TARGET_UPDATE_INTERVAL": 500, "LR": 2.5e-4,
          "LEARNING_STARTS": 10000, "TRAINING_INTERVAL": 10, "LR_LINEAR_DECAY": False, "GAMMA": 0.99, "TAU": 1.0,
          "ENV_NAME": "CartPole-v1", "SEED": 0, "NUM_SEEDS": 1}     # purejaxrl/dqn.py's main()
TOTAL_TIMESTEPS, REPEATS = int(CONFIG["TOTAL_TIMESTEPS"]), 5


def timed(fn):
    start = time.perf_counter()
    result = jax.block_until_ready(fn())
    return result, time.perf_counter() - start


def last_tenth(series) -> float:
    series = np.asarray(series)
    return float(np.nanmean(series[-len(series) // 10:]))


if __name__ == "__main__":
    env = CartPole()
    policy = MLPQPolicy(env=env, key=jr.key(0))
    dqn = DQN(double_q=False)     # PureJaxRL's configuration exactly (Lerax's default adds Double DQN targets)
    assert dqn.num_envs == CONFIG["NUM_ENVS"] and dqn.buffer_size == CONFIG["BUFFER_SIZE"]
    lerax = lambda key: dqn.learn(env, policy, total_timesteps=TOTAL_TIMESTEPS, key=key, return_metrics=True)
    reference_train = jax.jit(purejaxrl_dqn.make_train(CONFIG))
    reference = lambda key: reference_train(jax.random.key_data(key))
    runs = {"lerax": lerax, "PureJaxRL": reference}

    first = {name: timed(lambda: run(jr.key(1)))[1] for name, run in runs.items()}
    steady, outputs = {name: [] for name in runs}, {}
    for repeat in range(REPEATS):
        for name, run in runs.items():
            outputs[name], seconds = timed(lambda: run(jr.key(2 + repeat)))
            steady[name].append(seconds)
    finals = {"lerax": last_tenth(outputs["lerax"][1]["episode_return"]),
              "PureJaxRL": last_tenth(outputs["PureJaxRL"]["metrics"]["returns"])}
    medians = {name: float(np.median(times)) for name, times in steady.items()}
    for name in runs:
        print(f"{name:>9}: compile {first[name] - medians[name]:5.1f} s   steady state {medians[name]:5.2f} s (median of "
              f"{REPEATS}: {', '.join(f'{t:.2f}' for t in steady[name])})   {TOTAL_TIMESTEPS / medians[name]:>8,.0f} steps/s"
              f"   final return {finals[name]:6.1f}")
    greedy, _ = evaluate(env, outputs["lerax"][0], key=jr.key(9))
    print(f"lerax's trained policy, greedy: evaluation return {float(greedy):.1f}")
    ratio = medians["lerax"] / medians["PureJaxRL"]
    print(f"steady-state ratio (lerax / PureJaxRL's dqn.py): {ratio:.2f}x  (goal <= 1.0x)")
