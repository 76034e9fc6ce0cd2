/** Value pools in the style of the public healthcare dataset. */
export const FIRST_NAMES = [
  'Bobby', 'Leslie', 'Danny', 'Andrew', 'Adrienne', 'Emily', 'Edward', 'Christina', 'Jasmine', 'Christopher',
  'Michael', 'Kimberly', 'Desiree', 'Brandy', 'Thomas', 'Patricia', 'Jennifer', 'Kevin', 'Lisa', 'Robert',
  'Maria', 'James', 'Linda', 'David', 'Susan', 'Joseph', 'Karen', 'Charles', 'Nancy', 'Daniel', 'Betty',
  'Matthew', 'Sandra', 'Anthony', 'Ashley', 'Mark', 'Donna', 'Steven', 'Carol', 'Paul', 'Michelle', 'Joshua',
];
export const LAST_NAMES = [
  'Jackson', 'Terry', 'Smith', 'Williams', 'Johnson', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis',
  'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore',
  'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  "O'Brien", 'Smith-Jones', "D'Angelo", 'Flowers', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres',
];
export const PREFIXES = ['Mr.', 'Mrs.', 'Ms.', 'Dr.'];
export const SUFFIXES = ['MD', 'DDS', 'DVM', 'PhD', 'Jr.', 'Sr.', 'II', 'III', 'IV'];
export const CONDITIONS = ['Cancer', 'Obesity', 'Diabetes', 'Asthma', 'Hypertension', 'Arthritis'];
export const INSURERS = ['Blue Cross', 'Medicare', 'Aetna', 'UnitedHealthcare', 'Cigna'];
export const MEDICATIONS = ['Paracetamol', 'Ibuprofen', 'Aspirin', 'Penicillin', 'Lipitor'];
export const HOSPITAL_WORDS = [
  'Burke', 'Griffin', 'Cooper', 'Walton', 'LLC', 'Hernandez', 'Rogers', 'Vang', 'White', 'Sons', 'Group',
  'Hall', 'Ward', 'Houston', 'Ltd', 'Inc', 'PLC', 'Stewart', 'Morales', 'Reed', 'Fisher', 'Price', 'Bennett',
];
