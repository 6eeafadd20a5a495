"""Every threshold the diagnostics and the recommendation use, with where it comes from.

Two kinds of source: the literature (cited), and measurements anyone can rerun with
``python benchmarks/calibrate_thresholds.py``, which computes each statistic on clean
generated data (no planted problem) and prints where the clean values fall. Those
measurements use their own generators, never the test datasets.
"""

# --- Neighbourhood typology -------------------------------------------------------------
# Napierala & Stefanowski, LNCS 7209:139-150 (2012); J. Intell. Inf. Syst. 46:563-597 (2016):
# of an example's 5 nearest neighbours, 4-5 of its own class = safe, 2-3 = borderline,
# 1 = rare, 0 = outlier.
TYPOLOGY_SAFE_MIN = 4
TYPOLOGY_BORDERLINE_MIN = 2
TYPOLOGY_RARE_MIN = 1

# A probe point (a would-be synthetic point) is in majority territory when at most this many
# of its 5 nearest real rows belong to the minority class: a real minority row there would
# be typed rare or outlier by the typology above.
TERRITORY_MAX_MINORITY = 1

# --- Noise ------------------------------------------------------------------------------
# A minority row is isolated when the log of its distance to the nearest other row of its
# class lies beyond Tukey's far-out fence, Q3 + 3 * IQR, of those log distances in its class
# (Tukey, Exploratory Data Analysis, 1977). Distances are positive and right-skewed; on the
# raw scale the fence flags about 3% of a clean 2-D Gaussian cloud, on the log scale at most
# 0.1% (calibrate_thresholds.py).
ISOLATION_IQR_FACTOR = 3.0
# The fence needs enough rows to estimate quartiles; below this the isolation rule is off.
ISOLATION_MIN_ROWS = 10
# Share of a minority class whose labels look wrong (label noise). Plain SMOTE seeds every
# minority row equally, so this share is also the share of synthetic points seeded from
# mislabelled rows: one in twenty is a warning, three times that severe (smote_diag's choice).
# calibrate_thresholds.py prints the share on clean labels (one Gaussian minority next to a
# N(0, I) majority, 2.5 to 8 sd away, 2-10 dimensions), and benchmarks/bench_noise.py how
# often the finding stays ok on clean overlapping Gaussians and KEEL data.
NOISE_WARN_SHARE = 0.05
NOISE_SEVERE_SHARE = 0.15
# The share is graded by its one-sided 95% lower confidence bound (Wilson): a class of 20
# rows with one row flagged has a share of 5% but a bound of 1.1%, and is not called noisy.
NOISE_SHARE_Z = 1.6448536269514722  # the standard normal 95% quantile
# The label-noise rows are the set of highest expected F1 (label_noise.expected_f1_set),
# flagged unless the model gives less than the conventional 5% chance that any label of the
# class is wrong.
LABEL_NOISE_ANY_WRONG = 0.05
# A class whose estimated noise rate reaches one half is not judged: a class whose labels
# are mostly wrong is not defined by them (the model found no region of the class's own).
LABEL_NOISE_MAX_RATE = 0.5
# Napierala & Stefanowski's rare examples are "isolated pairs or triples" of the class: a
# rare row counts as rare (a small disjunct, kept) when its group has at most this many rows.
RARE_MAX_ROWS = 3

# Label noise (diagnostics/label_noise.py). The EM starts from a noise rate of 5% (the
# warning level below) and stops when the rate moves by less than a tenth of a row in a
# thousand, or after LABEL_NOISE_MAX_ITERATIONS steps (each a warm-started Newton fit); the
# rate is kept inside (1e-6, 1 - 1e-6) so its log-odds stay finite.
LABEL_NOISE_START_RATE = 0.05
LABEL_NOISE_TOLERANCE = 1e-4
LABEL_NOISE_MIN_RATE = 1e-6
LABEL_NOISE_MAX_ITERATIONS = 30
# Rows the model is fitted on: the class's rows, sampled down to LABEL_NOISE_CLASS_ROWS, and
# LABEL_NOISE_OTHERS_PER_ROW other rows per row of the class, at least LABEL_NOISE_MIN_OTHERS
# and at most LABEL_NOISE_CLASS_ROWS (each side weighted to stand for all its rows). The
# other rows sampled are counted in the minority pass's one batched query (their local class
# counts), so the queries still grow with the minority, not the majority. A logistic
# regression on d columns has d + 1 coefficients: 1,000 rows a side give their log-odds a
# standard error of about sqrt((d + 1) / 1,000) (10% at d = 10), far below the jump a
# mislabelled row makes.
LABEL_NOISE_CLASS_ROWS = 5000
LABEL_NOISE_OTHERS_PER_ROW = 1
# The model reads at most one column per LABEL_NOISE_ROWS_PER_COLUMN rows of the class (the
# local count, and the distance space's columns or, when they are more than that allows,
# its leading principal components). Unpenalised logistic coefficients want 5-9 events per
# variable (Vittinghoff & McCulloch, Am. J. Epidemiol. 165:710-718, 2007); the fit here is
# L2-penalised, which tolerates fewer (van Smeden et al., Stat. Methods Med. Res.
# 28:2455-2474, 2019). 3 is smote_diag's choice from planted and benchmark runs
# (benchmarks/bench_noise.py --source keel): as a bar on the full space it left most DEV
# KEEL minorities (20-50 rows, 7-9 columns) unjudged at 5, and at 2 a class of two 4-row
# tails in 2-D looked half mislabelled. The components are those of the class and the rest
# weighted half and half (so a direction that sets a small class apart is not lost to the
# rest's spread).
LABEL_NOISE_ROWS_PER_COLUMN = 3
# The model is not fitted below LABEL_NOISE_MIN_ROWS rows of the class: its smallest form
# reads two components and the local count, 3 rows each (along one direction alone a class
# of two 4-row tails in 2-D looked half mislabelled). Below it no row is called label noise
# (the summary says why); the grade's lower bound keeps small classes from being called
# noisy on a row or two.
LABEL_NOISE_MIN_ROWS = 3 * LABEL_NOISE_ROWS_PER_COLUMN
LABEL_NOISE_MIN_OTHERS = 1000

# --- Overlap ----------------------------------------------------------------------------
# Overlap is graded on a chance-corrected agreement of the minority with its neighbours:
# kappa = (p - p0) / (1 - p0), p = the share of minority rows whose nearest row (at one to
# one with the other classes, below) is of their class, p0 = that share under random labels,
# (n_class - 1) / (n - 1). kappa = 1 means perfectly separated, 0 means the labels are as
# mixed as chance. Bands follow Landis & Koch (Biometrics 33:159-174, 1977) for
# chance-corrected agreement: <= 0.20 "slight", <= 0.40 "fair".
OVERLAP_SEVERE_KAPPA = 0.20
OVERLAP_WARN_KAPPA = 0.40
# The grade reads each class row's nearest row with the other classes sampled down to the
# class's size (one to one), so that at a fixed overlap it does not fall as the imbalance
# grows; the sample is drawn this many times and the shares averaged (one draw's share has
# a standard error of about sqrt(p (1 - p) / n), 4 points for 100 rows).
BALANCED_DRAWS = 3
# ... as many draws as give this many class rows in all (at most BALANCED_DRAWS): a class
# of 1,000 rows or more is read in one draw, whose share then has a standard error of at most
# 1.6 points.
BALANCED_QUERIES = 1000
# Rows a side in that one-to-one set (the class's rows, sampled down to this many at large n,
# and as many others): the share's standard error is then at most sqrt(0.25 / 2000) = 1.1
# points per draw, and the distances (2 x 2000 rows) cost no index.
BALANCED_ROWS = 2000
# Borderline-SMOTE (Han, Wang, Mao 2005) and ADASYN (He et al. 2008) pay off where the
# boundary is the thin part: many borderline rows while overlap is not heavy. We call the
# boundary "thin" when at least this share of the minority is borderline or rare
# (smote_diag's choice: a third of the class). calibrate_thresholds.py: at most 2% for a
# minority 5+ sd from the majority, 19% at 3.5 sd, 48% at 2.5 sd (95th percentiles).
BOUNDARY_SHARE = 0.33

# --- Minority clustering and bridging ----------------------------------------------------
# Bridging share: the estimated share of plain SMOTE's (row, neighbour) pairs that join two
# different minority groups through majority territory (Lorena et al.'s N4 idea restricted to
# minority pairs, see DOMAIN.md). calibrate_thresholds.py: at most 3.1% (95th percentile)
# for one clean Gaussian minority, whatever its distance to the majority; 5% is above that;
# 20% means one pair in five joins two groups across majority territory (a share of pairs,
# not of points: a synthetic point on such a pair lands in the gap only when its random gap
# falls there; the overlap finding's simulated share counts points).
BRIDGING_WARN_SHARE = 0.05
BRIDGING_SEVERE_SHARE = 0.20
# A forest edge splits two groups only across a gap: longer than this many times the spacing
# of the rows at its ends (their distance to their nearest other classmate), besides its
# midpoint lying in majority territory. Where the classes overlap, the class's sparse rows
# have majority rows between them at their own spacing, and the midpoint test alone cut one
# overlapping 2-D Gaussian minority (150 rows, Bayes error 10%, 30:1) into 8 groups; at
# twice the spacing 4, at three times 1-2, while 30 planted groups of 3 rows in a uniform
# majority stay 30 (planted experiments, not the benchmark's data).
GROUP_GAP_FACTOR = 3.0
# Probe points per class (plain SMOTE's candidates; cross-group pairs): as many as the class
# has rows, at least MIN_PROBES (or all pairs when there are fewer) and at most MAX_PROBES.
# The shares they estimate then have a standard error of at most sqrt(0.25 / 200) = 3.5
# points for small classes and sqrt(0.25 / 2000) = 1.1 points for large ones, while the
# probes cost no more than 2,000 neighbour queries per class whatever the class size.
MIN_PROBES = 200
MAX_PROBES = 2000
# Plain SMOTE's simulated candidates are at least this many, whatever the class size: their
# share in majority territory is the report's figure about the SMOTE resample() runs, and
# its standard error is then at most sqrt(0.25 / 1000) = 1.6 points (3.5 at 200), which
# resample(method="smote").check() agrees with (tests/test_space.py).
MIN_SMOTE_PROBES = 1000

# --- High dimensionality ----------------------------------------------------------------
# Relative contrast C_r = mean distance / nearest-neighbour distance (He, Kumar, Chang,
# ICML 2012); C_r -> 1 means nearest-neighbour search is meaningless. No canonical cut-off
# exists; ours are fractions of locality: the nearest neighbour lies beyond half the mean
# distance (C_r < 2), or beyond two thirds of it (C_r < 1.5). calibrate_thresholds.py prints
# C_r for i.i.d. Gaussian data: 1.7-2.0 at intrinsic dimension 20, 1.4-1.5 at 50, for
# 1,000-10,000 rows (and 2.4-6.5 at dimension 5-10).
CONTRAST_WARN = 2.0
CONTRAST_SEVERE = 1.5
# Rows drawn to estimate the mean distance of C_r.
CONTRAST_REFERENCE_ROWS = 1000
# The contrast's own null: C_r depends on n and d, so a low C_r is a loss of meaning only
# when the class's neighbourhoods are no more local than structureless rows of the same size
# and dimension give (the same sample with each column permuted on its own). Measured
# (one sample of CONTRAST_NULL_ROWS rows): i.i.d. Gaussian data 0.94-1.02 times its null
# (d = 2-100, 3,000 rows); 5 informative columns among 500 noise columns 1.00; three latent
# directions under 300 noisy columns 1.15; 30 informative well separated columns 1.33 (5-NN
# balanced accuracy 0.99), whose C_r of 2.1 the absolute bands alone called "losing
# meaning". The grade applies only below CONTRAST_NULL_RATIO times the null (smote_diag's
# choice between those planted cases); a principal subspace is compared with the null of
# its own dimension the same way.
CONTRAST_NULL_RATIO = 1.2
CONTRAST_NULL_ROWS = 2000
# Rows of each side (the class's rows in the sample, the permuted sample's rows) whose
# nearest distances are averaged: the mean of 500 has a relative standard error of about 2%
# (nearest distances vary by at most about half their mean), a tenth of the 20% margin above.
CONTRAST_QUERY_ROWS = 500
# The principal subspace tested for PCA-space SMOTE keeps the components whose eigenvalue
# (of the correlation matrix) exceeds what independent unit-variance noise produces: the
# Marchenko-Pastur edge (1 + sqrt(d / n))^2 (Marchenko & Pastur 1967; a noise floor for
# correlation matrices in Laloux et al., Phys. Rev. Lett. 83:1467, 1999), with Johnstone's
# (2001) finite-sample correction at the 95% quantile of the Tracy-Widom law (0.9793).
TRACY_WIDOM_Q95 = 0.9793
# PCA-space SMOTE is advised only when that subspace restores locality (its C_r is at least
# CONTRAST_NULL_RATIO times the null of its own dimension) and the classes do not overlap
# heavily there.
# Rows drawn to fit that PCA.
PCA_FIT_ROWS = 5000
# Locality (``locality.py``): neighbours are the wrong lens for a class when an
# out-of-fold decision tree ranks it outstandingly (ROC AUC >= LOCALITY_TREE_AUC, the top
# band of Hosmer & Lemeshow's scale, Applied Logistic Regression, 2000) and better than its
# neighbourhoods do by LOCALITY_AUC_GAP or more. The tree: depth LOCALITY_TREE_DEPTH (a
# conjunction of up to 6 column tests), leaves of LOCALITY_TREE_LEAF rows (a neighbourhood's
# size), LOCALITY_FOLDS folds, at most LOCALITY_ROWS rows per side (kept small: the check
# must cost little next to the neighbour pass). Measured (calibrate_thresholds.py
# --locality): on 96 Gaussian cases (1-20% Bayes error, 5:1-50:1, 2-10 dimensions, the
# class apart along one of them) the gap reaches 0.21 where the tree is weak (heavy overlap:
# 5 neighbours are a noisy estimate) and 0.14 where the tree reaches 0.9; none is flagged.
# A class decided by two of 30 ten-level categorical columns gives 0.18-0.30 (flagged), of
# 20 columns 0.12-0.15; on the KEEL datasets (same command) none is flagged (the tree never
# reaches 0.9 where the neighbours leave room for the gap). One informative column among
# 10-20 can be flagged: nearness is then dominated by columns that carry nothing, which the
# check says.
LOCALITY_TREE_AUC = 0.9
LOCALITY_AUC_GAP = 0.15
LOCALITY_TREE_DEPTH = 6
LOCALITY_TREE_LEAF = 5
LOCALITY_FOLDS = 3
LOCALITY_ROWS = 1000
# Blagus & Lusa, BMC Bioinformatics 14:106 (2013): with more features than rows SMOTE does
# not reduce the bias towards the majority; a minority with no more rows than this many per
# dimension is at least a warning.
ROWS_PER_DIMENSION_WARN = 1
# Hubs: a row in more than 2k of its class's k-NN lists (scikit-hubness hub_size=2.0).
HUB_SIZE_FACTOR = 2.0
# TwoNN intrinsic dimension (Facco et al., Sci. Rep. 7:12140, 2017) discards the largest
# 10% of neighbour-distance ratios (scikit-dimension's discard_fraction=0.1).
TWONN_DISCARD_FRACTION = 0.1

# --- Already oversampled (SMOTE's fingerprint) ------------------------------------------
# A SMOTE row lies exactly on the segment between two real rows of its class. We look for
# such a pair among a row's 10 nearest class rows, in the continuous columns (whole-number
# and 0/1 columns sit on a lattice, where exact collinearity happens by chance; and one
# column alone makes every row "between" two others, hence at least two). The tolerance,
# a millionth of the segment's length, absorbs float round-off, not rounding to a few
# decimals (such data cannot be told from a lattice).
FINGERPRINT_NEIGHBOURS = 10
# Recorded values often sit on a decimal grid (0.01 for a rate, 0.1 for a BMI), where three
# rows are collinear by chance: a row counts only when one of its values is finer than its
# column's grid, as an interpolant's is. A class's grid is the fewest decimals, up to 6,
# that hold 99% of its values; the column's is the finest grid of its classes (an
# oversampled class has none). `python benchmarks/bench_fingerprint.py` on the 93 KEEL
# datasets with numeric columns: 8 raw datasets were flagged without this rule, none with
# it. Disclosure: those 8 belong to families outside the advice benchmark's development set
# (kddcup, page-blocks, pima), so this rule was shaped by them; the counts above are not
# out-of-sample.
GRID_MAX_DECIMALS = 6
GRID_ROW_SHARE = 0.99
FINGERPRINT_MIN_COLUMNS = 2
SEGMENT_TOLERANCE = 1e-6
# Storage round-off allowed on top (a few units in the last place of the column's largest
# value: SMOTE output saved as float32 is off its segment by that much).
ROUND_OFF_FACTOR = 4
# A row's neighbours span two directions when the second singular value of their offsets
# exceeds this share of the first (below it they lie on a line, up to round-off).
LOCAL_RANK_TOLERANCE = 1e-5
# Random oversampling copies most distinct rows of the class it grows (86% when it triples
# the class); natural repeats concentrate on a few rows (an all-zero record).
COPY_SPREAD_MIN = 0.5
# Raw data has no such rows by chance (every planted generator, and the raw KEEL datasets
# above); SMOTE to balance an imbalance ratio r makes 1 - 1/r of the class synthetic (90% at
# r = 10), of which the test finds about two thirds. 5% is a warning, 20% severe.
ON_SEGMENT_WARN_SHARE = 0.05
ON_SEGMENT_SEVERE_SHARE = 0.20
# Copies of a class's rows beyond the share of copies in classes at least as large (discrete
# data repeats rows in every class, more in larger ones; random oversampling makes a class
# repeat more than larger classes do).
EXCESS_COPY_WARN_SHARE = 0.10
EXCESS_COPY_SEVERE_SHARE = 0.30

# --- The objective ----------------------------------------------------------------------
# A tuned threshold (F1) or an untouched ranking (average precision) replaces resampling only
# when the minority is large enough to fit them on: TunedThresholdClassifierCV estimates the
# score on 5 validation folds, and an estimate from a count needs about 5 cases (Cochran's
# rule for expected counts, Biometrics 10:417-451, 1954): 5 x 5 minority rows. The same bar
# decides whether heavy overlap is left to class weights or a threshold. On the benchmark's
# dev families (ecoli, glass, yeast) resampling beat threshold tuning below it and lost
# above it (python benchmarks/bench_advice.py).
MINORITY_FOR_TUNING = 25

# --- Facts ------------------------------------------------------------------------------
# Imbalance ratio (majority / class). evalml's get_best_sampler_for_data treats a dataset as
# balanced when every class is at least 0.25 of the largest (IR <= 4); deepchecks flags a
# class at 0.1 of the largest or less (IR >= 10).
IMBALANCE_WARN_RATIO = 4.0
IMBALANCE_SEVERE_RATIO = 10.0
# Duplicates: three shares, graded on the bridging share's bars (5% warning, 20% severe; one
# in twenty, one in five). (1) Per minority class, the share of plain SMOTE's (row,
# neighbour) pairs at distance zero: interpolating between a row and its exact copy makes
# another copy, so like a bridging pair it yields no new point between two real ones. (2)
# The share of minority rows that repeat an earlier row of their class: the rows SMOTE
# pairs with their copies. (3) The share of all rows that repeat an earlier row exactly:
# under k-fold cross-validation such a row in a test fold usually has its copy in the
# training folds (probability (k - 1) / k for each copy), so this is about the share of test
# rows scored on a row the model has seen. Each is graded on its excess over chance (below);
# the worst of the three decides; rows whose features repeat with another label are at
# least a warning.
DUPLICATE_WARN_SHARE = BRIDGING_WARN_SHARE
DUPLICATE_SEVERE_SHARE = BRIDGING_SEVERE_SHARE
# Plain SMOTE's simulated points "fill the overlap" (a sentence of the overlap advice) when
# at least this share lands in majority territory: the share of SMOTE's output the bridging
# finding calls material, used for the same question (how much of it lands wrong).
SMOTE_MAJORITY_WARN_SHARE = BRIDGING_WARN_SHARE
# Copies by chance. Columns with few values repeat rows by chance: four uniform 3-level
# categories allow 81 rows, and 3,000 rows drawn from them repeat an earlier one 97% of the
# time; a test row's twin in the training folds is then what new data has too, not a leak.
# The chance share is the one expected if each class's rows were drawn with every column
# independent and distributed as in that class (a one-hot group is one column; a missing
# value is a value, as in the row hashes). With combination probabilities p_c among a
# class's n rows, sum_c (1 - (1 - p_c)^n) rows are expected distinct, so 1 - that / n repeat
# one; and a row of combination c has E[min(Binomial(n - 1, p_c), k)] of its k nearest
# classmates at distance zero (weighted by p_c and divided by k: the chance zero-distance
# pair share). Independence errs low where columns move together (chance copies then count
# as excess) and high for a small class (its few rows make its frequencies lumpy).
# Plain SMOTE copies a row wherever a pair is at distance zero, by chance or not: a pair
# share >= DUPLICATE_WARN_SHARE is a warning whatever its cause (SMOTE acts as random
# oversampling there, which the user should know), severe only when its excess over chance
# reaches DUPLICATE_SEVERE_SHARE (copies the columns do not explain).
# A column is continuous, and every class then has no copy by chance (share 0), when it
# holds fractional numbers (a measurement: its values repeat by copying, not by chance; the
# column kinds say so, for a dask frame too) or has more distinct values than this share of
# all rows: its frequencies, mostly 1s and 2s, would make it look like a column of few
# values (n rows drawn from n equally likely values repeat one 37% of the time), while
# copying whole rows, up to half of them, keeps it above the bar.
CONTINUOUS_DISTINCT_SHARE = 0.5
# The combinations are kept as their distinct probabilities (each with how many combinations
# have it), exact up to CHANCE_MAX_COMBINATIONS of them; beyond, probabilities within 1%
# (CHANCE_MERGE_STEP, in log units) are merged at their mean, which keeps the total and
# lowers the expected share by at most step^2 / (2e) = 2e-5 per column so merged (the
# second-order term n^2 p^2 (1 - p)^(n - 2) is at most about n p / e). Combinations expected
# fewer than CHANCE_RARE_COUNT times among the class's rows are summed as n (n - 1) / 2 * p^2
# (the expected pairs of rows on them, exact to a relative CHANCE_RARE_COUNT / 3), which
# keeps the work small however many columns there are.
CHANCE_MAX_COMBINATIONS = 10**6
CHANCE_MERGE_STEP = 0.01
CHANCE_RARE_COUNT = 1e-3
