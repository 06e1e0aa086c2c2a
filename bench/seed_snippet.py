"""The Lerax docs' training snippet, end to end in a fresh process, including imports and compilation.

Goal: <= 10 s. The reference is the same snippet's second `learn` call in the same process (steady state, no compile),
so the printed ratio says how much of the wall time is one-off start-up cost.

Run: python bench/seed_snippet.py
"""
import time

start = time.perf_counter()
import jax
from jax import random as jr

from lerax.algorithm import PPO
from lerax.env import CartPole
from lerax.policy import MLPActorCriticPolicy

policy_key, learn_key = jr.split(jr.key(0), 2)

env = CartPole()
policy = MLPActorCriticPolicy(env=env, key=policy_key)
algo = PPO()

trained = jax.block_until_ready(algo.learn(env, policy, total_timesteps=2**16, key=learn_key))
end_to_end = time.perf_counter() - start

again = time.perf_counter()
jax.block_until_ready(algo.learn(env, policy, total_timesteps=2**16, key=learn_key))
steady = time.perf_counter() - again
print(f"seed snippet end to end: {end_to_end:.1f} s (goal <= 10 s); steady-state learn: {steady:.1f} s; "
      f"ratio {end_to_end / steady:.1f}x")
