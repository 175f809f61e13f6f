"""Published reference values from Sutton & Barto, Reinforcement Learning: An Introduction
(2nd ed., 2018), shared by the tests that check figures against them."""

# Figure 3.2 (right), p. 60: v_π of the equiprobable random policy, γ = 0.9
FIGURE_3_2 = [[3.3, 8.8, 4.4, 5.3, 1.5],
              [1.5, 3.0, 2.3, 1.9, 0.5],
              [0.1, 0.7, 0.7, 0.4, -0.4],
              [-1.0, -0.4, -0.4, -0.6, -1.2],
              [-1.9, -1.3, -1.2, -1.4, -2.0]]
# Figure 3.5 (middle), p. 65: v*, γ = 0.9
FIGURE_3_5_V = [[22.0, 24.4, 22.0, 19.4, 17.5],
                [19.8, 22.0, 19.8, 17.8, 16.0],
                [17.8, 19.8, 17.8, 16.0, 14.4],
                [16.0, 17.8, 16.0, 14.4, 13.0],
                [14.4, 16.0, 14.4, 13.0, 11.7]]
