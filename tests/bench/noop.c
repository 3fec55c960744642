/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The exec storm's target: a small static program that exits at once. */
int main(void)
{
	return 0;
}
